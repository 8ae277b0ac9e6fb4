import rule from '../server/src/engine/rules/request-without-timeout';
import { ruleTester } from './helpers/rule-tester';

ruleTester(rule, {
  valid: [
    { code: 'import requests\nrequests.get(url, timeout=5)\n' },
    { code: 'import requests\ns = requests.Session()\ns.get(url, timeout=(3, 30))\n' },
    { code: 'import httpx\nwith httpx.Client(base_url=B) as client:\n    client.get("/users")\n', name: 'httpx clients default to a timeout' },
    { code: 'import httpx\nc = httpx.AsyncClient()\nc.get("/x")\n' },
    { code: 'import urllib.request\nurllib.request.urlopen(url, None, 10)\n', name: 'positional timeout of urlopen' },
    { code: 'import requests\nrequests.post(url, **options)\n', name: 'kwargs may carry a timeout' },
    { code: 'import requests\ndef get(x):\n    return x\nget(url)\nsession.get(url)\n', name: 'unknown receivers and local functions' },
    { code: 'import requests\nheaders = {}\nheaders.get("a")\n' },
  ],
  invalid: [
    {
      code: 'import requests\nresp = requests.get(f"{BASE}/users/{uid}")\n',
      errors: [{ line: 2, column: 8, endLine: 2, endColumn: 43, message: '`requests.get` without a `timeout`', severity: 'warning' }],
      output: 'import requests\nresp = requests.get(f"{BASE}/users/{uid}", timeout=10)\n',
    },
    {
      code: 'import requests as rq\nrq.post(\n    url,\n    json=payload,\n)\n',
      config: { timeout: 30 },
      errors: [{ line: 2, column: 1, message: 'timeout=30' }],
      output: 'import requests as rq\nrq.post(\n    url,\n    json=payload,\n    timeout=30,\n)\n',
      name: 'alias, multi-line, configured timeout: one argument per line, as the call is laid out',
    },
    {
      code: 'import requests\r\nif ok:\r\n    requests.post(\r\n        url,  # the endpoint\r\n        json=payload,\r\n    )\r\n',
      errors: [{ line: 3, column: 5 }],
      output: 'import requests\r\nif ok:\r\n    requests.post(\r\n        url,  # the endpoint\r\n        json=payload,\r\n        timeout=10,\r\n    )\r\n',
      name: 'multi-line in a block, CRLF line ends',
    },
    {
      code: 'import requests\nrequests.post(url,\n              json=payload,)\n',
      errors: [{ line: 2 }],
      output: 'import requests\nrequests.post(url,\n              json=payload, timeout=10,)\n',
      name: 'trailing comma with the parenthesis on the same line: stays on that line',
    },
    {
      code: 'from requests import Session\nhttp = Session()\nhttp.get(url, stream=True)\n',
      errors: [{ line: 3, message: '`Session.get`' }],
      output: 'from requests import Session\nhttp = Session()\nhttp.get(url, stream=True, timeout=10)\n',
    },
    {
      code: 'import requests\nwith requests.Session() as s:\n    s.put(url, data=b)\n',
      errors: [{ line: 3, column: 5 }],
      output: 'import requests\nwith requests.Session() as s:\n    s.put(url, data=b, timeout=10)\n',
      name: 'session bound by with',
    },
    {
      code: 'import requests\nrequests.Session().delete(url)\n',
      errors: [{ line: 2 }],
      output: 'import requests\nrequests.Session().delete(url, timeout=10)\n',
    },
    {
      code: 'import httpx\nhttpx.get(url, timeout=None)\n',
      errors: [{ line: 2, message: '`httpx.get` with `timeout=None`: if the server stops answering' }],
      output: 'import httpx\nhttpx.get(url, timeout=10)\n',
      name: 'explicit timeout=None',
    },
    {
      code: 'from urllib.request import urlopen\nwith urlopen(url) as fh:\n    fh.read()\n',
      errors: [{ line: 2, column: 6 }],
      output: 'from urllib.request import urlopen\nwith urlopen(url, timeout=10) as fh:\n    fh.read()\n',
    },
    {
      code: 'import urllib2\nprint "fetching"\ndata = urllib2.urlopen(url).read()\n',
      errors: [{ line: 3, column: 8 }],
      output: 'import urllib2\nprint "fetching"\ndata = urllib2.urlopen(url, timeout=10).read()\n',
      name: 'Python 2 file',
    },
    {
      code: { cells: ['!pip install requests\nimport requests', 'r = requests.head(url, allow_redirects=True)'] },
      errors: [{ cell: 1, line: 1, column: 5 }],
      name: 'notebook with magics',
    },
  ],
});
