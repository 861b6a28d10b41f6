#!/usr/bin/python3
"""Decide placement with Nova's own code, for kvmtune's differential test (NovaDifferentialIT).

Reads a JSON list of cases on stdin and writes a JSON list of decisions on stdout, one per case.
A case:
  {"cells": [{"id": 0, "cpus": [0, 1, 2, 3], "siblings": [[0, 1], [2, 3]],
              "memory_mb": 4096, "hugepages": [[2048, total, free], ...]}, ...],
   "online": [0, 1, ...],
   "conf": {"cpu_dedicated_set": "1-7" | null, "cpu_shared_set": ... | null, "vcpu_pin_set": ... | null,
            "packing": false},
   "claimed": [pCPUs other guests hold], "vcpus": N, "memory_mb": M, "flavor": {extra specs},
   "image": {properties}}
A decision: {"error": "ExceptionName"} | {"numa": false} (no NUMA topology: the guest floats) |
  {"numa": true, "cells": [{"host": hostCellId, "pinning": {"vcpu": pcpu}, "reserved": [pcpu],
                            "pagesize": KiB or null}]}

Nova decides with nova.virt.hardware (numa_get_constraints, numa_fit_instance_to_host); the host
cells are built as LibvirtDriver._get_host_numa_topology builds them (cpuset/pcpuset from
_get_vcpu_available/_get_pcpu_available and its legacy fallback, siblings limited to those CPUs), and
the spawn-time check of realtime with shared emulator threads runs after the fit, as in
LibvirtDriver._get_guest_memory_backing_config. A cell without "memory_mb" has ample memory and no
page sizes (as libvirt reports a host without NUMA memory information); a cell with it has that
memory, its 4 KiB pages (what the huge pages leave, as libvirt counts them) and its huge pages.
"""
import json
import sys

from nova import exception
from nova import objects
from nova.objects import fields
import nova.conf
from nova.virt import hardware

objects.register_all()
CONF = nova.conf.CONF
CONF([], default_config_files=[])
CELL_MEMORY_MB = 1024 * 1024


def configure(conf):
    CONF.set_override('cpu_dedicated_set', conf.get('cpu_dedicated_set'), group='compute')
    CONF.set_override('cpu_shared_set', conf.get('cpu_shared_set'), group='compute')
    CONF.set_override('vcpu_pin_set', conf.get('vcpu_pin_set'))
    CONF.set_override('packing_host_numa_cells_allocation_strategy', bool(conf.get('packing')), group='compute')


def available_cpus(online):
    # LibvirtDriver._get_vcpu_available / _get_pcpu_available and the legacy fallback of
    # _get_host_numa_topology.
    if CONF.vcpu_pin_set:
        shared = hardware.get_vcpu_pin_set()
    elif CONF.compute.cpu_shared_set:
        shared = hardware.get_cpu_shared_set()
    elif CONF.compute.cpu_dedicated_set:
        shared = set()
    else:
        shared = set(online)
    dedicated = hardware.get_cpu_dedicated_set() or set()
    if not dedicated and not (CONF.compute.cpu_shared_set and not CONF.vcpu_pin_set):
        dedicated = shared
    return shared, dedicated


def host_topology(case):
    shared, dedicated = available_cpus(case['online'])
    claimed = set(case.get('claimed', []))
    cells = []
    for cell in case['cells']:
        cpus = set(cell['cpus'])
        usable = cpus & (shared | dedicated)
        siblings = [set(s) & usable for s in cell['siblings']]
        pcpuset = cpus & dedicated
        memory = cell.get('memory_mb', CELL_MEMORY_MB)
        mempages = []
        if 'memory_mb' in cell:
            huge = [objects.NUMAPagesTopology(size_kb=size, total=total, used=total - free)
                    for size, total, free in cell.get('hugepages', [])]
            base = (memory * 1024 - sum(p.size_kb * p.total for p in huge)) // 4
            mempages = [objects.NUMAPagesTopology(size_kb=4, total=base, used=0)] + huge
        cells.append(objects.NUMACell(
            id=cell['id'], cpuset=cpus & shared, pcpuset=pcpuset, memory=memory, cpu_usage=0,
            memory_usage=0, pinned_cpus=claimed & pcpuset, siblings=[s for s in siblings if s], mempages=mempages,
            network_metadata=objects.NetworkMetadata(physnets=set(), tunneled=False)))
    return objects.NUMATopology(cells=cells)


def decide(case):
    configure(case.get('conf', {}))
    vcpus = case['vcpus']
    flavor = objects.Flavor(vcpus=vcpus, memory_mb=case.get('memory_mb', 1024 * vcpus),
                            extra_specs=case.get('flavor', {}))
    try:
        image = objects.ImageMeta.from_dict({'properties': case.get('image', {})})
    except ValueError:
        # The API turns a property that does not coerce into "Invalid image metadata".
        return {'error': 'InvalidRequest'}
    try:
        wanted = hardware.numa_get_constraints(flavor, image)
        if wanted is None:
            # Placement has no VCPU inventory to offer where no CPU is shared.
            shared, _ = available_cpus(case['online'])
            return {'numa': False} if shared else {'error': 'DoesNotFit'}
        fitted = hardware.numa_fit_instance_to_host(host_topology(case), wanted)
        if fitted is None:
            return {'error': 'DoesNotFit'}
        if (hardware.is_realtime_enabled(flavor)
                and hardware.get_emulator_thread_policy_constraint(flavor) == fields.CPUEmulatorThreadsPolicy.SHARE
                and not CONF.compute.cpu_shared_set):
            return {'error': 'RealtimeMaskNotFoundOrInvalid'}
    except exception.NovaException as e:
        return {'error': type(e).__name__}
    cells = []
    for cell in fitted.cells:
        pinning = cell.cpu_pinning if 'cpu_pinning_raw' in cell and cell.cpu_pinning else {}
        reserved = cell.cpuset_reserved if 'cpuset_reserved' in cell and cell.cpuset_reserved else set()
        pagesize = cell.pagesize if 'pagesize' in cell and cell.pagesize else None
        cells.append({'host': cell.id, 'pinning': {str(v): p for v, p in sorted(pinning.items())},
                      'reserved': sorted(reserved), 'pagesize': int(pagesize) if pagesize else None})
    return {'numa': True, 'cells': cells}


def main():
    cases = json.load(sys.stdin)
    json.dump([decide(case) for case in cases], sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
