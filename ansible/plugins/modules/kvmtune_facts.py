#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: kvmtune_facts
short_description: What kvmtune sees on a KVM host and whether it is ready for realtime guests
description:
  - Runs C(kvmtune hostprep inventory) and C(kvmtune hostprep check) on the host and returns both
    as the fact C(kvmtune), with the failing checks picked out.
  - The inventory holds the host's libvirt CPU model report under C(cpu_models), which is what
    C(kvmtune cpu-models --baseline) reads to choose a CPU model for a pool of hosts.
  - Changes nothing on the host.
version_added: 0.1.0
author:
  - kvmtune developers
extends_documentation_fragment:
  - kvmtune.host.kvmtune
options:
  gather:
    description: Which reports to gather.
    type: list
    elements: str
    choices: [inventory, check]
    default: [inventory, check]
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  facts:
    support: full
notes:
  - A host whose configuration names no dedicated CPUs and that is given none gets a check report
    whose C(partition.dedicated) check fails, saying where to give them.
'''

EXAMPLES = r'''
- name: Read what kvmtune sees
  kvmtune.host.kvmtune_facts:
    dedicated: "2-7"

- name: Fail the hosts whose realtime checks fail
  ansible.builtin.fail:
    msg: "{{ kvmtune.check_failures | map(attribute='id') | join(', ') }}"
  when: kvmtune.check_failed
'''

RETURN = r'''
ansible_facts:
  description: The fact C(kvmtune).
  returned: always
  type: complex
  contains:
    kvmtune:
      description: What kvmtune reported.
      type: complex
      contains:
        inventory:
          description: C(kvmtune hostprep inventory --format json); its C(cpu_models) member is the host's CPU model report.
          returned: when C(inventory) is gathered
          type: dict
        check:
          description: C(kvmtune hostprep check --format json) (C(partition), C(failed), C(summary), C(checks)).
          returned: when C(check) is gathered
          type: dict
        check_failed:
          description: True when at least one check failed.
          returned: when C(check) is gathered
          type: bool
        check_failures:
          description: The failing checks, each with C(id), C(title), C(finding) and C(remedy).
          returned: when C(check) is gathered
          type: list
          elements: dict
          sample: [{"id": "isolation.domain", "title": "dedicated CPUs are outside the scheduler's load balancing",
                    "finding": "dedicated CPUs 1 are still load-balanced", "remedy": "add isolcpus=domain,1 ..."}]
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.kvmtune.host.plugins.module_utils.kvmtune_cli import (
    COMMON_ARGS, EXIT_DIFFERENCE, EXIT_OK, partition_args, run_json)


def failures(check):
    return [dict(id=c['id'], title=c.get('title'), finding=c.get('finding'), remedy=c.get('remedy'))
            for c in check.get('checks', []) if c.get('status') == 'fail']


def main():
    argument_spec = dict(
        gather=dict(type='list', elements='str', choices=['inventory', 'check'], default=['inventory', 'check']),
    )
    argument_spec.update(COMMON_ARGS)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)

    facts = {}
    if 'inventory' in module.params['gather']:
        facts['inventory'] = run_json(module, ['hostprep', 'inventory'])[1]
    if 'check' in module.params['gather']:
        # Exit 1 is the answer "a check failed", not an error of the module.
        check = run_json(module, ['hostprep', 'check'] + partition_args(module), accept=(EXIT_OK, EXIT_DIFFERENCE))[1]
        facts['check'] = check
        facts['check_failed'] = bool(check.get('failed'))
        facts['check_failures'] = failures(check)
    module.exit_json(changed=False, ansible_facts=dict(kvmtune=facts))


if __name__ == '__main__':
    main()
