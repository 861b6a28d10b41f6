# -*- coding: utf-8 -*-
"""The modules against a stand-in kvmtune that records its arguments and answers as docs/CLI.md says.

Run from the collection's installed copy (ansible_collections/kvmtune/host):
    python3 -m unittest discover -s tests/unit
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION = os.path.dirname(os.path.dirname(HERE))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(COLLECTION)))  # the dir holding ansible_collections

APPLY = {"changed": True, "failed": False, "msg": "1 setting(s) changed", "skipped": [], "backup": "/b.json",
         "diff": [{"id": "sysctl.vm.stat_interval", "path": "/proc/sys/vm/stat_interval", "format": "text",
                   "before": "1", "after": "10"}]}
PLAN = {"runtime": {}, "kernel_cmdline": {"fragment": "nohz_full=1", "missing": ["nohz_full=1"]}, "nova_conf": {}}
CHECK = {"partition": {"dedicated": "1", "housekeeping": "0"}, "failed": True, "summary": {"fail": 1},
         "checks": [{"id": "isolation.domain", "title": "t", "status": "fail", "finding": "f", "remedy": "r"},
                    {"id": "partition.online", "title": "t", "status": "pass", "finding": "f", "remedy": None}]}


class Modules(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.calls = os.path.join(self.dir, 'calls')
        self.binary = os.path.join(self.dir, 'kvmtune')
        answers = {'plan': (0, PLAN), 'apply': (0, APPLY), 'restore': (0, dict(APPLY, msg='restored')),
                   'check': (1, CHECK), 'inventory': (0, {"cpu_models": {"arch": "x86"}})}
        with open(self.binary, 'w') as f:
            f.write('#!%s\nimport json, sys\nanswers = %r\n' % (sys.executable, answers))
            f.write('open(%r, "a").write(" ".join(sys.argv[1:]) + "\\n")\n' % self.calls)
            f.write('rc, out = answers[sys.argv[2]]\nprint(json.dumps(out))\nsys.exit(rc)\n')
        os.chmod(self.binary, 0o755)

    def module(self, name, args, check_mode=False, diff=False):
        args = dict(args, binary=self.binary, _ansible_check_mode=check_mode, _ansible_diff=diff,
                    _ansible_remote_tmp=self.dir, _ansible_keep_remote_files=False)
        path = os.path.join(self.dir, 'args.json')
        with open(path, 'w') as f:
            json.dump({'ANSIBLE_MODULE_ARGS': args}, f)
        env = dict(os.environ, PYTHONPATH=ROOT)
        out = subprocess.run([sys.executable, os.path.join(COLLECTION, 'plugins/modules/%s.py' % name), path],
                             capture_output=True, text=True, env=env, check=False).stdout
        return json.loads(out)

    def called(self):
        with open(self.calls) as f:
            return f.read().splitlines()

    def test_check_mode_asks_apply_check_and_shows_the_diff(self):
        result = self.module('kvmtune_hostprep', {'dedicated': '1', 'only': ['sysctl.vm.stat_interval']},
                             check_mode=True, diff=True)
        self.assertTrue(result['changed'])
        self.assertEqual(result['diff']['before'], 'sysctl.vm.stat_interval = 1\n')
        self.assertEqual(result['diff']['after'], 'sysctl.vm.stat_interval = 10\n')
        self.assertEqual(result['kernel_cmdline']['missing'], ['nohz_full=1'])
        self.assertEqual(self.called()[1], 'hostprep apply --dedicated 1 --only sysctl.vm.stat_interval --check --format json')

    def test_unchanged_apply_reports_not_changed(self):
        APPLY_NONE = dict(APPLY, changed=False, diff=[])
        with open(self.binary) as f:
            text = f.read()
        with open(self.binary, 'w') as f:
            f.write(text.replace("'apply': (0, %r)" % (APPLY,), "'apply': (0, %r)" % (APPLY_NONE,)))
        result = self.module('kvmtune_hostprep', {'dedicated': '1'})
        self.assertFalse(result['changed'])
        self.assertEqual(self.called()[1], 'hostprep apply --dedicated 1 --format json')

    def test_restore_in_check_mode_asks_restore_check(self):
        result = self.module('kvmtune_hostprep', {'state': 'restored', 'backup': '/b.json'}, check_mode=True)
        self.assertTrue(result['changed'])
        self.assertNotIn('kernel_cmdline', result)
        self.assertEqual(self.called(), ['hostprep restore --backup /b.json --check --format json'])

    def test_facts_pick_out_the_failing_checks_and_a_failed_check_is_no_module_failure(self):
        result = self.module('kvmtune_facts', {'dedicated': '1'})
        self.assertNotIn('failed', result)
        facts = result['ansible_facts']['kvmtune']
        self.assertTrue(facts['check_failed'])
        self.assertEqual(facts['check_failures'], [{'id': 'isolation.domain', 'title': 't', 'finding': 'f', 'remedy': 'r'}])
        self.assertEqual(facts['inventory'], {"cpu_models": {"arch": "x86"}})
        self.assertEqual(self.called(), ['hostprep inventory --format json', 'hostprep check --dedicated 1 --format json'])

    def test_a_kvmtune_error_fails_the_module_with_its_message(self):
        with open(self.binary) as f:
            text = f.read()
        error = {"error": {"code": "Invalid", "key": "dedicated", "value": "", "message": "dedicated: no dedicated CPUs"}}
        with open(self.binary, 'w') as f:
            f.write(text.replace("'plan': (0, %r)" % (PLAN,), "'plan': (2, %r)" % (error,)))
        result = self.module('kvmtune_hostprep', {})
        self.assertTrue(result['failed'])
        self.assertEqual(result['msg'], 'dedicated: no dedicated CPUs')
        self.assertEqual(result['rc'], 2)


if __name__ == '__main__':
    unittest.main()
