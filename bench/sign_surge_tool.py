#!/usr/bin/env python3
"""Helper of bench/sign_surge: acts as the IdP (issues citizens' tokens), opens a petition through
the API, replays the UK petition's curve, and checks the database against acknowledged answers.

  sign_surge_tool.py tokens N PATH          N citizens: "serial token ip" per line
  sign_surge_tool.py open PORT              files, submits, admits a petition; prints its id
  sign_surge_tool.py curve PORT PETITION CSV SECONDS PEAK   replay a real signature curve
  sign_surge_tool.py verify DBURL PETITION ACKED_FILE      lost / duplicated check
  sign_surge_tool.py cpu PID                 CPU seconds used so far by each kind of thread
  sign_surge_tool.py cpu-diff BEFORE AFTER N CPU microseconds per signature by kind of thread
"""
import base64, datetime, hashlib, hmac, json, os, subprocess, sys, time, urllib.request

ISSUER = "bench-idp"
IDP_SECRET = b"bench-idp-secret"
SIGNER_KEY = b"bench-signer-key"
W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]


def iins(n):
    """n distinct valid IINs, deterministic."""
    out = []
    start = datetime.date(1940, 1, 1)
    serial = 0
    while len(out) < n:
        for day in range(30000):
            d = start + datetime.timedelta(days=day)
            for g in ((3, 4) if d.year < 2000 else (5, 6)):
                p = f"{d:%y%m%d}{g}{serial:04d}"
                ds = [int(c) for c in p]
                c = sum(a * b for a, b in zip(ds, W1)) % 11
                if c == 10:
                    c = sum(a * b for a, b in zip(ds, W2)) % 11
                if c != 10:
                    out.append(p + str(c))
                    break
            if len(out) >= n:
                break
        serial += 1
    return out


def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


HEADER = b64(b'{"alg":"HS256","typ":"JWT"}')
REGIONS = ["750000000", "710000000", "790000000", "550000000", "350000000", "610000000",
           "630000000", "470000000", "150000000", "230000000", "270000000", "310000000"]


def token(iin, serial):
    claims = {"iss": ISSUER, "sub": iin, "given_name": f"B{serial}", "family_name": "Surge",
              "exp": int(time.time()) + 86400, "kato": REGIONS[serial % len(REGIONS)],
              "email": f"s{serial}@mail{serial % 7}.kz"}
    p = b64(json.dumps(claims, separators=(",", ":")).encode())
    s = b64(hmac.new(IDP_SECRET, f"{HEADER}.{p}".encode(), hashlib.sha256).digest())
    return f"{HEADER}.{p}.{s}"


def ip(serial):
    # A national spread: every signer its own address, 256 per /24 network.
    return f"10.{(serial >> 16) & 255}.{(serial >> 8) & 255}.{serial & 255}"


def api(port, method, path, token=None, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=json.dumps(body or {}).encode(),
                                 headers={"content-type": "application/json"})
    if token:
        req.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def cmd_tokens(n, path):
    with open(path, "w") as f:
        for serial, iin in enumerate(iins(n)):
            f.write(f"{serial} {token(iin, serial)} {ip(serial)}\n")


def cmd_open(port):
    mod = api(port, "POST", "/api/v1/auth/login", body={"login": "official.mcriap", "password": "tyndau-demo-2026"})["token"]
    author = token(iins(1)[0], 0)
    p = api(port, "POST", "/api/v1/petitions", author, {
        "title": "Surge benchmark petition", "text": "A petition that goes viral.",
        "proposals": "Review it.", "addressee_org_id": "gov"})
    pid = p["id"]
    api(port, "POST", f"/api/v1/petitions/{pid}/submit", author)
    api(port, "POST", f"/api/v1/petitions/{pid}/take", mod)
    api(port, "POST", f"/api/v1/petitions/{pid}/admit", mod)
    print(pid)


def db_rows(dburl, sql):
    if dburl.startswith("postgres"):
        out = subprocess.run(["psql", dburl, "-Atc", sql], check=True, capture_output=True, text=True).stdout
        return [tuple(l.split("|")) for l in out.splitlines() if l]
    import sqlite3
    path = dburl.removeprefix("sqlite://").split("?")[0]
    return [tuple(str(c) for c in r) for r in sqlite3.connect(path).execute(sql).fetchall()]


def cmd_verify(dburl, pid, acked_file):
    acked = [int(l) for l in open(acked_file) if l.strip()]
    all_iins = iins(max(acked) + 1) if acked else []
    stored = {r[0] for r in db_rows(dburl, f"SELECT signer_hash FROM petition_signatures WHERE petition_id = '{pid}'")}
    (rows, distinct), = db_rows(dburl, f"SELECT COUNT(*), COUNT(DISTINCT signer_hash) FROM petition_signatures WHERE petition_id = '{pid}'")
    (counter,), = db_rows(dburl, f"SELECT signature_count FROM petitions WHERE id = '{pid}'")
    (regions,), = db_rows(dburl, f"SELECT COALESCE(SUM(n), 0) FROM petition_region_counts WHERE petition_id = '{pid}'")
    lost = sum(1 for s in set(acked) if hmac.new(SIGNER_KEY, all_iins[s].encode(), hashlib.sha256).hexdigest() not in stored)
    dup_acks = len(acked) - len(set(acked))
    print(f"acknowledged={len(acked)} stored={rows} distinct_signers={distinct} counter={counter} region_sum={regions} "
          f"lost={lost} duplicated={int(rows) - int(distinct) + dup_acks}")
    ok = lost == 0 and int(rows) == int(distinct) and dup_acks == 0 and int(counter) == int(rows) == int(regions)
    print("verdict: " + ("OK — every acknowledged signature is stored once, counters agree" if ok else "FAILED"))
    sys.exit(0 if ok else 1)


def cmd_cpu(pid):
    """CPU seconds per thread name (utime + stime), summed over the threads of a name."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            stat = open(f"/proc/{pid}/task/{tid}/stat").read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        out[name] = out.get(name, 0) + (int(fields[11]) + int(fields[12])) / tick
    print(json.dumps(out))


def cmd_cpu_diff(before, after, n):
    """Where the server's CPU went per acknowledged signature, by kind of thread."""
    b, a = json.load(open(before)), json.load(open(after))
    per = {k: (a[k] - b.get(k, 0)) * 1e6 / max(int(n), 1) for k in a}
    total = sum(per.values())
    parts = " ".join(f"{k}={v:.1f}" for k, v in sorted(per.items(), key=lambda x: -x[1]) if v >= 0.05)
    print(f"server_cpu_us_per_signature={total:.1f} ({parts})")


def cmd_curve(port, pid, csv_path, seconds, peak):
    """Replays the UK petition's signature totals compressed into `seconds`, scaled so that the
    busiest interval runs at `peak` signatures per second, with keep-alive connections."""
    import asyncio
    pts = []
    for line in open(csv_path).read().splitlines()[1:]:
        ts, n = line.split(",")
        pts.append((datetime.datetime.fromisoformat(ts).timestamp(), int(n)))
    t0, n0 = pts[0]
    span = pts[-1][0] - t0
    # Signatures per replay second, from the curve's increments.
    buckets = [0.0] * seconds
    for (ta, na), (tb, nb) in zip(pts, pts[1:]):
        buckets[min(seconds - 1, int((tb - t0) / span * seconds))] += max(0, nb - na)
    scale = peak / max(buckets)
    plan = [int(b * scale) for b in buckets]
    total = sum(plan)
    lines = open(os.environ["SIGN_TOKENS"]).read().splitlines()[:total]
    acked, statuses = [], {}

    async def worker(q):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while True:
            item = await q.get()
            if item is None:
                writer.close()
                return
            serial, tok, addr = item.split(" ")
            writer.write((f"POST /api/v1/petitions/{pid}/signatures HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {tok}\r\n"
                          f"X-Forwarded-For: {addr}\r\nContent-Length: 0\r\n\r\n").encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ")[1])
            length = int([h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")][0].split(b":")[1])
            await reader.readexactly(length)
            statuses[status] = statuses.get(status, 0) + 1
            if status == 201:
                acked.append(serial)

    async def main():
        q = asyncio.Queue()
        workers = [asyncio.create_task(worker(q)) for _ in range(64)]
        start = time.time()
        i = 0
        for sec, n in enumerate(plan):
            for k in range(n):
                await q.put(lines[i]); i += 1
            while q.qsize() > 0 and time.time() < start + sec + 1:
                await asyncio.sleep(0.01)
            delay = start + sec + 1 - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
        for _ in workers:
            await q.put(None)
        await asyncio.gather(*workers)
        return time.time() - start

    took = asyncio.run(main())
    with open(os.environ["SIGN_ACKED"], "w") as f:
        f.write("\n".join(acked) + "\n")
    print(f"curve: {len(pts)} points of the real petition over {span / 86400:.1f} days replayed in {seconds} s; "
          f"planned {total} signatures, peak {max(plan)}/s; took {took:.1f} s; statuses {statuses}")


if __name__ == "__main__":
    c = sys.argv[1]
    if c == "tokens":
        cmd_tokens(int(sys.argv[2]), sys.argv[3])
    elif c == "open":
        cmd_open(int(sys.argv[2]))
    elif c == "verify":
        cmd_verify(sys.argv[2], sys.argv[3], sys.argv[4])
    elif c == "curve":
        cmd_curve(int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    elif c == "cpu":
        cmd_cpu(int(sys.argv[2]))
    elif c == "cpu-diff":
        cmd_cpu_diff(sys.argv[2], sys.argv[3], sys.argv[4])
