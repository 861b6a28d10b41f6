# -*- coding: utf-8 -*-
"""Options every kvmtune.host module shares: the kvmtune command, its configuration and the partition."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  binary:
    description: The kvmtune command, by name on the PATH or by path.
    type: str
    default: kvmtune
  config:
    description: The host configuration (nova.conf syntax); kvmtune's default is /etc/kvmtune/kvmtune.conf.
    type: path
  dedicated:
    description: pCPUs for pinned guest vCPUs; default the configuration's C(cpu_dedicated_set).
    type: str
  housekeeping:
    description: pCPUs for the host's own work; default C(cpu_shared_set), else the CPUs outside the dedicated set.
    type: str
'''
