# -*- coding: utf-8 -*-
"""Runs the kvmtune command line with --format json and reads its answer (docs/CLI.md is the contract)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

# Exit codes of docs/CLI.md.
EXIT_OK = 0
EXIT_DIFFERENCE = 1
EXIT_ROLLED_BACK = 3

# The options of the doc fragment kvmtune.host.kvmtune.
COMMON_ARGS = dict(
    binary=dict(type='str', default='kvmtune'),
    config=dict(type='path'),
    dedicated=dict(type='str'),
    housekeeping=dict(type='str'),
)


def kvmtune_command(module, *args):
    """The argument vector for one kvmtune call with the module's binary and --config."""
    binary = module.params['binary']
    if '/' not in binary:
        binary = module.get_bin_path(binary, required=True)
    command = [binary] + list(args) + ['--format', 'json']
    if module.params.get('config'):
        command += ['--config', module.params['config']]
    return command


def partition_args(module):
    """--dedicated/--housekeeping when given; kvmtune falls back to the host configuration."""
    args = []
    if module.params.get('dedicated'):
        args += ['--dedicated', module.params['dedicated']]
    if module.params.get('housekeeping'):
        args += ['--housekeeping', module.params['housekeeping']]
    return args


def run_json(module, args, accept=(EXIT_OK,)):
    """Runs kvmtune; returns (exit code, parsed JSON). Fails the module on any other exit code."""
    command = kvmtune_command(module, *args)
    rc, out, err = module.run_command(command)
    try:
        answer = json.loads(out) if out.strip() else None
    except ValueError:
        answer = None
    if rc not in accept:
        error = answer.get('error', {}) if isinstance(answer, dict) else {}
        module.fail_json(msg=error.get('message') or err.strip() or 'kvmtune exited with %d' % rc,
                         rc=rc, cmd=command, stderr=err, stdout=out, error=error or None,
                         result=answer)
    if answer is None:
        module.fail_json(msg='kvmtune printed no JSON', rc=rc, cmd=command, stderr=err, stdout=out)
    return rc, answer
