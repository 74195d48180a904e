#!/usr/bin/env python3
"""What one durable signature costs SQLite itself, with no HTTP and no Tyndau around it.

  bench/sign_floor.py [ROWS] [BATCH]        (defaults: 300000 rows, 40 a transaction)

Creates `petition_signatures` exactly as migrations/sqlite/0002_petitions.sql does, with the
signing writer's settings (WAL, synchronous=NORMAL, 8 MB cache), and inserts ROWS signatures of
one petition in transactions of BATCH rows with the writer's statement (one prepared
`INSERT … ON CONFLICT DO NOTHING` per row), twice: with the real keys (keyed hashes, which are
random) and with sequential keys. It prints the CPU microseconds per row of this thread (the
Python driver adds about 2 µs a row). The difference between
the two runs is the price of a uniqueness check over random keys: every signature lands on a
different leaf page of the primary key's index, and each dirty page is a 4 KiB WAL frame.
"""
import hashlib, os, re, sqlite3, sys, tempfile, time, uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N = int(sys.argv[1]) if len(sys.argv) > 1 else 300000
B = int(sys.argv[2]) if len(sys.argv) > 2 else 40
COLS = "signer_hash, petition_id, public_name, kato, channel, ip, network, email_domain, signed_at, entered_by"


def schema():
    sql = open(os.path.join(ROOT, "migrations/sqlite/0002_petitions.sql")).read()
    table = re.search(r"CREATE TABLE petition_signatures \(.*?\n\);", sql, re.S).group(0)
    index = re.search(r"CREATE INDEX petition_signatures_petition [^;]*;", sql).group(0)
    return table, index


def run(sequential):
    d = tempfile.mkdtemp()
    path = os.path.join(d, "floor.db")
    c = sqlite3.connect(path, isolation_level=None)
    for p in ("journal_mode = WAL", "synchronous = NORMAL", "cache_size = -8192",
              "temp_store = MEMORY", "wal_autocheckpoint = 20000"):
        c.execute(f"PRAGMA {p}")
    c.execute("CREATE TABLE petitions (id TEXT PRIMARY KEY)")
    for s in schema():
        c.execute(s)
    pid = str(uuid.uuid4())
    key = (lambda i: f"{i:064x}") if sequential else (lambda i: hashlib.sha256(str(i).encode()).hexdigest())
    rows = [(key(i), pid, "Aigerim S.", "750000000", "electronic", f"10.{i % 250}.{i // 250 % 250}.1",
             f"10.{i % 250}.{i // 250 % 250}.0/24", "mail.kz", 1_700_000_000_000 + i, None) for i in range(N)]
    stmt = f"INSERT INTO petition_signatures ({COLS}) VALUES ({','.join('?' * 10)}) ON CONFLICT DO NOTHING"
    t0, w0 = time.thread_time(), time.time()
    for k in range(0, N, B):
        c.execute("BEGIN IMMEDIATE")
        for r in rows[k:k + B]:
            c.execute(stmt, r)
        c.execute("COMMIT")
    cpu, wall = time.thread_time() - t0, time.time() - w0
    c.close()
    kind = "sequential keys" if sequential else "random keys (keyed hashes)"
    print(f"{kind:28} cpu_us_per_row={cpu / N * 1e6:5.1f} wall_s={wall:5.1f} rows_per_s={N / wall:8.0f}")


if __name__ == "__main__":
    print(f"{N} signatures of one petition, {B} a transaction")
    run(sequential=False)
    run(sequential=True)
