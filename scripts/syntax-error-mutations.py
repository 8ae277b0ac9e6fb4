# One random syntax error in each of N real Python files that parse, with where Python 3 reports it:
# the oracle of scripts/syntax-error-agreement.ts (docs/rules/syntax-error.md). Deterministic for a seed.
#   python3 scripts/syntax-error-mutations.py <folder> <seed> <count> > cases.jsonl
import ast, json, random, sys, glob
random.seed(int(sys.argv[2]))
files = sorted(glob.glob(sys.argv[1] + '/**/*.py', recursive=True))
random.shuffle(files)
out = []
for f in files:
    if len(out) >= int(sys.argv[3]): break
    try:
        src = open(f, encoding='utf-8').read()
        ast.parse(src)
    except Exception:
        continue
    if not (200 < len(src) < 60000): continue
    lines = src.split('\n')
    kind = random.choice(['del_close', 'placeholder', 'del_colon', 'dup_token', 'del_quote'])
    idxs = list(range(len(lines)))
    random.shuffle(idxs)
    mutated = None
    for i in idxs:
        l = lines[i]
        if kind == 'del_close' and ')' in l:
            j = l.rindex(')'); l2 = l[:j] + l[j+1:]
        elif kind == 'placeholder' and ' = ' in l and not l.strip().startswith('#'):
            j = l.index(' = '); l2 = l[:j] + ' = <your-value>'
        elif kind == 'del_colon' and l.rstrip().endswith(':') and not l.strip().startswith('#'):
            l2 = l.rstrip()[:-1]
        elif kind == 'dup_token' and l.strip() and not l.strip().startswith('#'):
            toks = l.split(' '); k = random.randrange(len(toks)); toks.insert(k, toks[k] + ' ' + toks[k]); l2 = ' '.join(toks)
        elif kind == 'del_quote' and '"' in l and not l.strip().startswith('#'):
            j = l.index('"'); l2 = l[:j] + l[j+1:]
        else:
            continue
        cand = '\n'.join(lines[:i] + [l2] + lines[i+1:])
        try:
            ast.parse(cand)
            continue
        except SyntaxError as e:
            if e.lineno is None: continue
            mutated = (cand, e.lineno, e.offset or 1, kind)
            break
        except Exception:
            continue
    if mutated:
        out.append({'file': f, 'text': mutated[0], 'line': mutated[1], 'col': mutated[2], 'kind': mutated[3]})
for o in out: print(json.dumps(o))
