#!/usr/bin/env python3
"""make bench: a large inventory written straight into a migrated Owlery database.

Usage: seed_large.py DB HOSTS SERVICES

HOSTS hosts with SERVICES services spread evenly over them, each host's services
depending on the database and cache of a "database host" every tenth host, and a
WireGuard mesh where each host has tunnels to its four ring neighbours (so the mesh is
deliberately incomplete: the topology page has missing links to show). Shapes follow
what the server writes; addresses come from documentation ranges.
"""
import sqlite3
import sys
import time

path, n_hosts, n_services = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
now = int(time.time())
KINDS = ["puma", "sidekiq", "streaming", "nginx", "postgresql", "redis", "minio", "opensmtpd", "dkimproxy", "custom"]

db = sqlite3.connect(path)
db.execute("PRAGMA foreign_keys = ON")
with db:
    host_ids = []
    for i in range(n_hosts):
        cur = db.execute(
            "INSERT INTO hosts (name, provider, plan, arch, vcpus, ram_mib, disk_gb, ipv4, ipv6, mesh_addr,"
            " ssh_host, ssh_port, ssh_user, notes, created_at, updated_at)"
            " VALUES (?, 'Scaleway', 'Start1-XS', 'x86_64', 1, 1024, 25, ?, ?, ?, ?, 22, 'root', '', ?, ?)",
            (f"big{i:03d}", None if i % 3 else f"192.0.2.{i % 250 + 1}", f"2001:db8:1::{i:x}",
             f"fd00:6f77::{i + 1:x}", f"2001:db8:1::{i:x}", now, now))
        host_ids.append(cur.lastrowid)
    service_ids = {}
    for s in range(n_services):
        h = s % n_hosts
        kind = KINDS[(s // n_hosts) % len(KINDS)]
        name = f"{kind}-{s:04d}"
        cur = db.execute(
            "INSERT INTO services (name, host_id, kind, unit, listen_addr, port, needs_egress, memory_mib, notes,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?)",
            (name, host_ids[h], kind, f"{kind}.service", f"fd00:6f77::{h + 1:x}", 1000 + s,
             1 if kind in ("puma", "sidekiq") else 0, 100, now, now))
        service_ids[s] = (cur.lastrowid, h, kind)
    # Each puma/sidekiq/streaming depends on the postgresql and redis of its host's
    # database host (every tenth host), which is often a host without a tunnel to it.
    by_host_kind = {(h, k): sid for sid, h, k in service_ids.values()}
    for sid, h, kind in service_ids.values():
        if kind in ("puma", "sidekiq", "streaming"):
            db_host = h - h % 10
            for target in ("postgresql", "redis"):
                dep = by_host_kind.get((db_host, target))
                if dep and dep != sid:
                    db.execute("INSERT OR IGNORE INTO service_deps (service_id, depends_on) VALUES (?, ?)", (sid, dep))
    for i, hid in enumerate(host_ids):
        db.execute(
            "INSERT INTO mesh_nodes (host_id, wg_public_key, listen_port, endpoint, egress_via, created_at, updated_at)"
            " VALUES (?, ?, 51820, ?, ?, ?, ?)",
            (hid, "A" * 43 + "=", f"10.64.{i // 250}.{i % 250 + 1}",
             None if i % 3 == 0 else host_ids[i - i % 3], now, now))
    ports = {}
    for i in range(n_hosts):
        for step in (1, 2):
            j = (i + step) % n_hosts
            a, b = sorted((i, j))
            if a == b:
                continue
            pa, pb = ports.get(a, 51820), ports.get(b, 51820)
            ports[a], ports[b] = pa + 1, pb + 1
            db.execute(
                "INSERT OR IGNORE INTO mesh_links (host_a, host_b, addr_a, addr_b, port_a, port_b, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (host_ids[a], host_ids[b], f"fd00:77:{a:x}:{b:x}::/127", f"fd00:77:{a:x}:{b:x}::1/127", pa, pb, now))
db.close()
print(f"seeded {n_hosts} hosts, {n_services} services")
