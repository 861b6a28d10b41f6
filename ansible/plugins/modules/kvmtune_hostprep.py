#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: kvmtune_hostprep
short_description: Prepare a KVM host's runtime tunables for realtime guests, or put them back
description:
  - With I(state=present), runs C(kvmtune hostprep apply) for the host's partition (sysctls, IRQ
    affinities, workqueue masks, realtime budgets and the like), each previous value recorded in a
    backup first. A failed write is rolled back by kvmtune and fails the task.
  - With I(state=restored), runs C(kvmtune hostprep restore), which writes back every value the
    backup holds and removes the backup.
  - Also returns the kernel command-line fragment the partition needs at boot (C(kvmtune hostprep
    plan)); this module never changes the boot configuration.
  - Check mode asks C(kvmtune hostprep apply --check) or C(kvmtune hostprep restore --check); the diff
    shows every setting before and after.
version_added: 0.1.0
author:
  - kvmtune developers
extends_documentation_fragment:
  - kvmtune.host.kvmtune
options:
  state:
    description: Whether the tunables should be prepared or put back as the backup recorded them.
    type: str
    choices: [present, restored]
    default: present
  only:
    description: Only these settings, by the ids C(kvmtune hostprep plan) prints (such as C(sysctl.vm.stat_interval)); all when empty.
    type: list
    elements: str
    default: []
  backup:
    description: Where the replaced values are recorded; kvmtune's default is /var/lib/kvmtune/hostprep-backup.json.
    type: path
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
notes:
  - Needs root on the host for I(state=present) outside check mode and for I(state=restored).
'''

EXAMPLES = r'''
- name: Prepare the runtime tunables for dedicated CPUs 2-7
  kvmtune.host.kvmtune_hostprep:
    dedicated: "2-7"
  register: prep

- name: Say what the kernel command line still needs
  ansible.builtin.debug:
    msg: "{{ prep.kernel_cmdline.missing }}"

- name: Put every value back
  kvmtune.host.kvmtune_hostprep:
    state: restored
'''

RETURN = r'''
settings:
  description: Every setting changed (or, in check mode, that would change), with C(id), C(path), C(before) and C(after).
  returned: always
  type: list
  elements: dict
  sample: [{"id": "sysctl.vm.stat_interval", "path": "/proc/sys/vm/stat_interval", "format": "text", "before": "1", "after": "10"}]
skipped:
  description: Settings kvmtune left alone, each with its reason.
  returned: always
  type: list
msg:
  description: kvmtune's one-line summary.
  returned: always
  type: str
backup:
  description: The backup file used.
  returned: always
  type: str
kernel_cmdline:
  description: The boot-time kernel command line the partition needs (C(fragment)) and the parts of it the running kernel lacks (C(missing)).
  returned: when I(state=present)
  type: dict
  sample: {"fragment": "isolcpus=managed_irq,domain,2-7 nohz_full=2-7", "missing": ["nohz_full=2-7"]}
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kvmtune.host.plugins.module_utils.kvmtune_cli import COMMON_ARGS, partition_args, run_json


def diff_text(settings, side):
    return ''.join('%s = %s\n' % (s['id'], s[side]) for s in settings)


def main():
    argument_spec = dict(
        state=dict(type='str', choices=['present', 'restored'], default='present'),
        only=dict(type='list', elements='str', default=[]),
        backup=dict(type='path'),
    )
    argument_spec.update(COMMON_ARGS)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)

    backup = ['--backup', module.params['backup']] if module.params['backup'] else []
    only = [a for setting in module.params['only'] for a in ('--only', setting)]
    result = {}
    if module.params['state'] == 'present':
        plan = run_json(module, ['hostprep', 'plan'] + partition_args(module) + only)[1]
        result['kernel_cmdline'] = plan.get('kernel_cmdline')
        apply_args = ['hostprep', 'apply'] + partition_args(module) + only + backup
        answer = run_json(module, apply_args + (['--check'] if module.check_mode else []))[1]
    else:
        answer = run_json(module, ['hostprep', 'restore'] + backup + (['--check'] if module.check_mode else []))[1]

    settings = answer.get('diff', [])
    result.update(changed=bool(answer.get('changed')), msg=answer.get('msg'), settings=settings,
                  skipped=answer.get('skipped', []), backup=answer.get('backup'))
    if module._diff:
        result['diff'] = dict(before=diff_text(settings, 'before'), after=diff_text(settings, 'after'),
                              before_header='host tunables', after_header='host tunables')
    module.exit_json(**result)


if __name__ == '__main__':
    main()
