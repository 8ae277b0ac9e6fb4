import rule from '../server/src/engine/rules/swallowed-error';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    {
      // EleutherAI/lm-evaluation-harness 4e7e0d4, lm_eval/tasks/gpqa/zeroshot/_generate_configs.py
      code: 'import yaml\n\n\ndef write(path, doc):\n    try:\n        with open(path, "w") as f:\n            yaml.dump(doc, f)\n    except FileExistsError:\n        pass\n',
      name: 'the file already exists',
    },
    {
      // huggingface/trl f2cd577, examples/scripts/openenv/opencode.py and tests/testing_utils.py
      code: 'import os\nimport signal\nimport psutil\n\n\ndef kill(proc):\n    try:\n        os.killpg(proc.pid, signal.SIGKILL)\n    except ProcessLookupError:\n        pass\n    for child in psutil.Process(proc.pid).children(recursive=True):\n        try:\n            child.terminate()\n        except psutil.NoSuchProcess:\n            pass\n',
      name: 'the process to stop is already gone',
    },
    {
      // simonw/llm@f3f4f29, llm/cli.py (`llm logs`): each row's response is shown pretty-printed when it is JSON
      code: 'for row in rows:\n    response = row["response"]\n    if row["schema_json"]:\n        try:\n            parsed = json.loads(response)\n            response = json.dumps(parsed, indent=2)\n        except ValueError:\n            pass\n    click.echo(response)\n',
      name: "in a loop, a try that only rebinds names bound earlier in the same pass keeps this item's default",
    },
    {
      // simonw/llm@f3f4f29, llm/__init__.py (a probe answered after) and llm/cli.py (a default kept)
      code: 'def get_async_model(name):\n    sync_model = None\n    try:\n        sync_model = get_model(name, _skip_async=True)\n    except UnknownModelError:\n        pass\n    if sync_model:\n        raise UnknownModelError("Unknown async model (sync model exists): " + name)\n    raise UnknownModelError("Unknown model: " + name)\n\n\ndef show(response):\n    try:\n        parsed = json.loads(response)\n        response = json.dumps(parsed, indent=2)\n    except ValueError:\n        pass\n    click.echo(response)\n',
      name: 'a named exception passed over outside a loop where the try only binds values: the names keep their earlier values',
    },
    {
      // simonw/llm@f3f4f29, llm/cli.py: listing templates
      code: 'for file in path.glob("*.yaml"):\n    try:\n        template = load_template(file.stem)\n    except LoadTemplateError:\n        # Skip invalid templates\n        continue\n    pairs.append((file.stem, template))\n',
      name: 'a continue with a comment on its own line saying why',
    },
    {
      // bentoml/BentoML 32230a5, src/bentoml/_internal/models/model.py and six more: look up, else fetch.
      code: 'def get_or_pull(store, tag, pull):\n    try:\n        return store.get(tag)\n    except NotFound:\n        pass\n    model = pull(tag)\n    store.put(tag, model)\n    return model\n',
      name: 'a look-up that returns on success, the fallback after the try',
    },
    {
      // bentoml/BentoML 32230a5, src/_bentoml_impl/client/http.py: waiting for a server to start.
      code: 'import time\nimport httpx\ndef wait_until_ready(url, timeout):\n    start = time.monotonic()\n    while time.monotonic() - start < timeout:\n        try:\n            if httpx.get(url).status_code == 200:\n                return\n        except (httpx.TimeoutException, httpx.ConnectError):\n            pass\n        time.sleep(1)\n    raise TimeoutError(url)\n',
      name: 'a poll loop that returns once the server answers',
    },
    {
      // bentoml/BentoML 32230a5, src/bentoml/server.py
      code: 'def serve(proc):\n    try:\n        proc.wait()\n    except KeyboardInterrupt:\n        pass\n',
      name: 'Ctrl+C ends a wait',
    },
    {
      // jxnl/instructor 694c7c2, docs/tutorials/1-introduction.ipynb
      code: { cells: ['import traceback\ntry:\n    assert validate(data)\nexcept AssertionError:\n    traceback.print_exc()\n'] },
      name: 'a notebook prints the traceback under the cell',
    },
    {
      code: 'try:\n    n = len(loader.dataset)\nexcept NotImplementedError:\n    # iterable-style datasets have no length\n    pass\n',
      name: 'a named exception passed over with a comment on its own line that says why',
    },
    {
      code: {
        cells: ['try:\n    # %tensorflow_version only exists in Colab.\n    %tensorflow_version 2.x\nexcept Exception:\n    pass\n', 'import tensorflow as tf'],
      },
      name: "Colab's magic tried and let go in other kernels",
    },
    {
      code: 'try:\n    f()\nexcept KeyError:\n    print("no country for", ip)\nexcept (ConnectionError, TimeoutError):\n    print("offline: using the cached copy")\nexcept KeyboardInterrupt:\n    print("-" * 89)\n    print("Exiting from training early")\n',
      name: 'named exceptions answered with messages of their own (the caught error not printed)',
    },
    {
      code: { cells: ['try:\n    df.loc["missing"]\nexcept KeyError as e:\n    print(e)\n'] },
      name: 'a notebook cell that prints a named error: the output shows under the cell',
    },
    {
      code: {
        cells: [
          'events = []\nfor event in calendar.get("events", []):\n    try:\n        start = parse_datetime(event["start"]["dateTime"])\n        events.append(event)\n    except (KeyError, ValueError) as e:\n        print(f"Warning: could not process event due to {e}")\n        continue\n',
        ],
      },
      name: 'a notebook prints a named error, then goes on to the next item: the warning shows under the cell (NirDiamant/GenAI_Agents)',
    },
    {
      code: {
        cells: [
          'from IPython.display import Image, display\ntry:\n    display(Image(app.get_graph().draw_mermaid_png()))\nexcept Exception:\n    # This requires some extra dependencies and is optional\n    pass\n',
          'try:\n    display(Image(graph.get_graph(xray=True).draw_mermaid_png()))\nexcept Exception:\n    pass\n',
        ],
      },
      name: "a notebook's optional picture: a try that only displays (LangGraph's graph drawing; NirDiamant/GenAI_Agents)",
    },
    {
      code: 'import os\ntry:\n    import pyvirtualdisplay\nexcept ImportError:\n    pass\ntry:\n    os.makedirs(out_dir)\nexcept OSError:\n    pass\n',
      name: 'an optional dependency, and the folder that already exists',
    },
    {
      code: 'def first_parameter(model):\n    try:\n        p = next(model.parameters())\n    except StopIteration:\n        pass\n    else:\n        return p.device\n\ndef label(block):\n    try:\n        return block.content[0].text\n    except (AttributeError, IndexError):\n        pass\n    return None\n',
      name: 'a named exception passed over where the try has an else, or a fallback is returned at once',
    },
    {
      code: 'def get_session():\n    session = SessionClass()\n    try:\n        yield session\n    except:\n        session.rollback()\n        raise\n    finally:\n        session.close()\n',
      name: 'bare except that rolls back and re-raises: the cleanup idiom swallows nothing',
    },
    {
      code: 'from psycopg2.errors import DuplicateDatabase\ntry:\n    cursor.execute(sql)\n    print("Database created successfully.")\nexcept DuplicateDatabase:\n    print("Database already exists")\n',
      name: 'a named, expected condition answered with its own message',
    },
    { code: 'import logging\nlogger = logging.getLogger(__name__)\ntry:\n    f()\nexcept ValueError:\n    logger.warning("bad value")\n    return None\n' },
    { code: 'try:\n    f()\nexcept FileNotFoundError:\n    return []\n', name: 'a deliberate fallback' },
    { code: 'try:\n    f()\nexcept KeyError as exc:\n    raise ValueError("missing") from exc\n' },
    { code: 'try:\n    f()\nexcept OSError:\n    value = None\n' },
    { code: 'import warnings\ntry:\n    f()\nexcept ImportError:\n    warnings.warn("optional dependency missing")\n' },
    { code: 'for i in range(3):\n    try:\n        f()\n    except TimeoutError:\n        break\n', name: 'break out of a retry loop' },
    { code: 'try:\n    f()\nexcept ValueError:\n    # comment only before a real statement\n    cleanup()\n' },
    {
      code: 'from datetime import datetime\n\n\ndef parse_date(text):\n    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y"):\n        try:\n            return datetime.strptime(text, fmt)\n        except ValueError:\n            continue\n    return None\n',
      name: 'a continue that ends its pass anyway, in a loop that returns on success with a fallback after it (Shubhamsaboo/awesome-llm-apps)',
    },
    {
      code: 'import sqlite3\n\n\ndef store_entries(conn, entries):\n    count = 0\n    cursor = conn.cursor()\n    for entry in entries:\n        try:\n            cursor.execute(\n                """\n            INSERT INTO feed_entries (link, title) VALUES (?, ?)\n            """,\n                (entry["link"], entry["title"]),\n            )\n            count += 1\n        except sqlite3.IntegrityError:\n            pass\n    conn.commit()\n    return count\n',
      name: "insert-or-ignore: a duplicate row skipped on the table's UNIQUE key (Shubhamsaboo/awesome-llm-apps, beifong/db/feeds.py)",
    },
    {
      code: 'import logging\n\nlogger = logging.getLogger(__name__)\n\n\nasync def handle(ws, message):\n    try:\n        await process(message)\n    except Exception as exc:\n        logger.exception("processing failed: %s", exc)\n        try:\n            await ws.send_json({"error": str(exc)})\n        except Exception:\n            pass\n',
      name: 'a best-effort notice inside a handler that already logged the failure (Shubhamsaboo/awesome-llm-apps, zenml-io/zenml-projects)',
    },
    {
      code: 'import logging\nimport shutil\nimport tempfile\n\nlogger = logging.getLogger(__name__)\n\n\ndef workspace(repo):\n    try:\n        workspace_dir = tempfile.mkdtemp()\n        clone(repo, workspace_dir)\n        return workspace_dir\n    except Exception as e:\n        logger.error(f"Failed to set up the workspace: {e}")\n        if "workspace_dir" in locals():\n            try:\n                shutil.rmtree(workspace_dir, ignore_errors=True)\n            except Exception:\n                pass\n        return tempfile.mkdtemp(prefix="fallback_")\n',
      name: 'a best-effort clean-up under an if, inside a handler that logged and returns a fallback (zenml-io/zenml-projects, qualityflow)',
    },
  ],
  invalid: [
    {
      code: 'import shutil\n\n\ndef move(a, b):\n    try:\n        shutil.move(a, b)\n    except (FileExistsError, PermissionError):\n        pass\n',
      errors: [{ line: 7 }],
      name: 'an already-so error caught beside one that is a failure',
    },
    {
      code: { cells: ['from IPython.display import display\ntry:\n    result = graph.invoke(state)\n    display(result)\nexcept Exception:\n    pass\n'] },
      errors: [{ cell: 0, line: 5 }],
      output: null,
      name: 'a notebook try that works and displays: the work is what is lost',
    },
    {
      code: 'async def handle(ws, message):\n    try:\n        await process(message)\n    except Exception as exc:\n        try:\n            await ws.send_json({"error": str(exc)})\n        except Exception:\n            pass\n    try:\n        await process(message)\n    except Exception as exc:\n        print(exc)\n        try:\n            await ws.send_json({"error": str(exc)})\n        except Exception:\n            pass\n',
      errors: [{ line: 7 }, { line: 15 }],
      name: 'a nested pass whose outer handler does nothing else, or only prints',
    },
    {
      code: 'import sqlite3\n\nfor row in rows:\n    try:\n        db.save(row)\n    except ValueError:\n        continue\n\nfor row in rows:\n    try:\n        cursor.execute("UPDATE feeds SET seen = 1 WHERE id = ?", (row,))\n    except sqlite3.IntegrityError:\n        pass\n    try:\n        cursor.execute("INSERT INTO log VALUES (?)", (row,))\n        notify(row)\n    except sqlite3.IntegrityError:\n        pass\n',
      errors: [{ line: 6 }, { line: 12 }, { line: 17 }],
      name: 'a continue ending a pass whose try does not return, an IntegrityError around an UPDATE, and an insert that also acts',
    },
    {
      code: 'parsed = None\nfor line in lines:\n    try:\n        value = float(line)\n    except ValueError:\n        pass\n    total += value\n\nfor line in lines:\n    try:\n        parsed = json.loads(line)\n    except ValueError:\n        pass\n    rows[i] = 0\n    try:\n        rows[i] = int(line)\n    except ValueError:\n        pass\n    out.append(parsed)\n',
      errors: [{ line: 5 }, { line: 12 }, { line: 17 }],
      name: "in a loop, a try that binds a name not bound earlier in the pass (the last item's value is used) or an item of a list",
    },
    {
      code: 'def parse_timestamp(value):\n    try:\n        return int(value)\n    except ValueError:\n        pass\n',
      errors: [{ line: 4 }],
      name: 'a try that returns on success but falls off the function on failure (an implicit None)',
    },
    {
      code: 'def load_all(paths):\n    out = []\n    for p in paths:\n        try:\n            out.append(parse(p))\n        except ValueError:\n            pass\n    return out\n',
      errors: [{ line: 6 }],
      name: 'items skipped in a loop whose try does not return',
    },
    {
      code: 'import traceback\ntry:\n    assert validate(data)\nexcept AssertionError:\n    traceback.print_exc()\n',
      errors: [{ line: 4 }],
      name: 'a script prints a traceback where no one reads it',
    },
    {
      code: { cells: ['def export(rows, path):\n    try:\n        write_csv(rows, path)\n    except Exception as e:\n        print(f"Export failed: {e}")\n'] },
      errors: [{ line: 4, message: 'prints' }],
      name: 'a notebook helper that catches Exception and prints: its caller cannot tell it failed',
    },
    {
      code: 'try:\n    f()\nexcept ValueError:\n    pass\n',
      errors: [{ line: 3, column: 1, message: 'This `except` only passes' }],
      output: null,
      name: 'a named exception passed over where the try acts: the action silently did not happen',
    },
    {
      code: 'for job in jobs:\n    try:\n        job()\n    except ValueError:\n        pass\n',
      errors: [{ line: 4, column: 5, message: 'This `except` only passes' }],
      output: null,
      name: 'a named exception passed over in a loop: the item is skipped',
    },
    {
      code: 'for line in lines:\n    try:\n        rows.append(json.loads(line))\n    except (OSError, ValueError):\n        continue\n',
      errors: [{ line: 4, column: 5, message: 'skips to the next iteration' }],
    },
    {
      code: 'try:\n    f()\nexcept KeyError as missing:\n    print("no country for", missing)\n',
      errors: [{ line: 3, message: 'prints' }],
      name: 'a named exception whose handler prints the error itself',
    },
    {
      code: 'try:\n    f()\nexcept Exception:\n    ...\n',
      errors: [{ line: 3 }],
    },
    {
      code: 'import logging\nlogger = logging.getLogger(__name__)\n\ntry:\n    f()\nexcept:\n    pass\n',
      errors: [{ line: 6, column: 1, message: 'Bare `except:`' }],
      output:
        'import logging\nlogger = logging.getLogger(__name__)\n\ntry:\n    f()\nexcept Exception as exc:\n    logger.exception("Ignoring unexpected error: %s", exc)\n',
      name: 'bare except with a module logger',
    },
    {
      // warmeaf/LangChain-RAG-FastAPI-Service@79d0bcb, backend/app/rag/document_handler/processor.py: the project's own logger
      code: 'from app.core.logger_handler import logger\n\ntry:\n    f()\nexcept:\n    pass\n',
      errors: [{ line: 5, message: 'Bare `except:`' }],
      output: 'from app.core.logger_handler import logger\n\ntry:\n    f()\nexcept Exception:\n    logger.exception("Ignoring unexpected error")\n',
      name: "an imported logger is used, with a message that reads the same whatever its formatting (loguru's is `{}`)",
    },
    {
      code: 'from loguru import logger\n\ntry:\n    f()\nexcept:\n    pass\n',
      errors: [{ line: 5 }],
      output: 'from loguru import logger\n\ntry:\n    f()\nexcept Exception:\n    logger.exception("Ignoring unexpected error")\n',
      name: 'loguru: no %-style argument, which it would not fill in',
    },
    {
      code: '"""Doc."""\nimport json\n\nfor line in lines:\n    try:\n        rows.append(json.loads(line))\n    except:\n        # skip bad rows\n        continue\n',
      errors: [{ line: 7, column: 5 }],
      output:
        '"""Doc."""\nimport json\nimport logging\n\nfor line in lines:\n    try:\n        rows.append(json.loads(line))\n    except Exception as exc:\n        # skip bad rows\n        logging.exception("Ignoring unexpected error: %s", exc)\n        continue\n',
      name: 'bare except without a logger: adds import logging',
    },
    {
      code: 'import logging\ntry:\n    f()\nexcept: pass\n',
      errors: [{ line: 4 }],
      output: 'import logging\ntry:\n    f()\nexcept Exception as exc:\n    logging.exception("Ignoring unexpected error: %s", exc)\n',
      name: 'one-line bare except',
    },
    {
      code: 'try:\n    f()\nexcept:\n    cleanup()\n    raise "legacy"\n',
      errors: [{ line: 3, message: 'Bare `except:`' }],
      output: 'try:\n    f()\nexcept Exception:\n    cleanup()\n    raise "legacy"\n',
      name: 'bare except that raises something else: flagged, only the header changes',
    },
    {
      code: 'try:\n    rows = load()\nexcept ValueError:\n    print("skipping a bad row")\nexcept Exception:\n    print("failed")\nexcept OSError as exc:\n    print(f"could not read: {exc}")\nexcept BaseException:\n    pass\nrows = []\n',
      errors: [{ line: 5 }, { line: 7 }, { line: 9 }],
      name: 'still swallowing in a script: a print for Exception, the error itself printed, BaseException passed over',
    },
    {
      code: 'for row in rows:\n    try:\n        amounts.append(float(row["amount"]))\n    except ValueError:\n        pass\n    except ImportError:\n        continue\n',
      errors: [{ line: 4 }, { line: 6 }],
      name: 'rows dropped in a loop: pass, and continue even for ImportError',
    },
    {
      code: 'def enrich(records, lookup):\n    for record in records:\n        try:\n            record["country"] = lookup[record["ip"]]\n        except KeyError:\n            print("no country for", record["ip"])\n',
      errors: [{ line: 5, message: 'prints' }],
      name: 'a message per item in a loop: the item is left without its field',
    },
    {
      code: 'import sys\ntry:\n    json.load(urllib2.urlopen(url))\nexcept Exception, exc:\n    print "label fetch failed:", exc\nexcept:\n    print >>sys.stderr, "could not save"\n',
      errors: [
        { line: 4, message: 'prints' },
        { line: 6, message: 'Bare' },
      ],
      name: 'Python 2 file',
    },
    {
      code: { cells: ['%load_ext autoreload\nimport traceback', 'try:\n    run()\nexcept Exception:\n    traceback.print_exc()'] },
      errors: [{ cell: 1, line: 3, column: 1 }],
      name: 'notebook; traceback.print_exc of a broad handler only prints',
    },
  ],
});
