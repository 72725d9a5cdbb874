#!/usr/bin/env python3
"""Old and new renderings of the hot reads, byte for byte (issue 16, item 2).

Starts two servers, BASE (e.g. main's binary, boost::json trees) and NEW (this tree's direct
writer), each on its own copy of the same SQLite file, both with the same fixed clock, and GETs
the same URLs from both: every referral detail the user can list (or a sample of ids), referral
list pages with several filters, the approvals queue, duty inbox pages, collaboration request
list pages and details. Prints how many bodies
were compared and exits 1 on the first difference (printing both).

  bench/renderings/compare.py --base /tmp/base/xietong --new build/src/cli/xietong \\
      --db var/bench/s0.01-….db --tokens var/bench/s0.01-….tokens        # a generated set
  bench/renderings/compare.py --base … --new … --demo                    # the demo county
"""
import argparse, http.cookiejar, json, os, shutil, subprocess, sys, tempfile, time, urllib.request

CLOCK = "2026-11-20T10:00:00+08:00"
DEMO_PASSWORD = "Demo-Compare-2026"


def start(xt, db, port, work):
    log = open(os.path.join(work, f"server-{port}.log"), "w")
    p = subprocess.Popen([xt, "serve", "--db", "sqlite:" + db, "--listen", f"127.0.0.1:{port}",
                          "--sweep-interval", "86400", "--access-log", "off", "--test-mode",
                          "--fake-clock", CLOCK, "--audit-key", os.path.join(work, f"k{port}")],
                         stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return p
        except Exception:
            if p.poll() is not None:
                sys.exit(open(log.name).read())
            time.sleep(0.1)
    sys.exit("server did not start")


class Client:
    def __init__(self, port, token=None):
        self.base = f"http://127.0.0.1:{port}"
        self.token = token
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def login(self, username):
        req = urllib.request.Request(self.base + "/api/v1/auth/login", method="POST",
                                     data=json.dumps({"username": username,
                                                      "password": DEMO_PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
        self.opener.open(req).read()

    def get(self, path):
        req = urllib.request.Request(self.base + path)
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        try:
            with self.opener.open(req) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--db")
    ap.add_argument("--tokens")
    ap.add_argument("--demo", action="store_true")
    ap.add_argument("--sample", type=int, default=1, help="every Nth referral id of a generated set")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="xtcompare.")
    procs = []
    try:
        if a.demo:
            src = os.path.join(work, "demo.db")
            subprocess.run([a.new, "demo", "load", "--db", "sqlite:" + src, "--password",
                            DEMO_PASSWORD], check=True, stdout=subprocess.DEVNULL)
        else:
            src = a.db
        ports = []
        for i, xt in enumerate([a.base, a.new]):
            db = os.path.join(work, f"copy{i}.db")
            shutil.copyfile(src, db)
            port = 30000 + (os.getpid() % 5000) * 2 + i
            procs.append(start(xt, db, port, work))
            ports.append(port)
        if a.demo:
            users = ["coordinator.staff", "xincheng.officer", "xincheng.leader", "scjg.officer",
                     "scjg.leader", "zrzy.liaison", "auditor"]
            pairs = []
            for u in users:
                cs = [Client(p) for p in ports]
                for c in cs:
                    c.login(u)
                pairs.append((u, cs))
        else:
            toks = dict(l.split()[:2] for l in open(a.tokens) if len(l.split()) >= 2)
            pairs = [(u, [Client(p, toks[u]) for p in ports])
                     for u in ["coord.staff", "receiver.officer", "c000t00.officer", "c000t00.leader"]]
        compared = 0

        def same(user, cs, path):
            nonlocal compared
            (s1, b1), (s2, b2) = cs[0].get(path), cs[1].get(path)
            if (s1, b1) != (s2, b2):
                print(f"DIFFERENT for {user} GET {path}\nbase {s1}: {b1[:2000]!r}\nnew  {s2}: {b2[:2000]!r}")
                sys.exit(1)
            compared += 1
            return s1, b1

        matter = "C000-M1"
        for user, cs in pairs:
            ids = set()
            lists = ["/api/v1/referrals?page_size=100", "/api/v1/referrals?direction=in",
                     "/api/v1/referrals?direction=out", "/api/v1/referrals?state=closed",
                     f"/api/v1/referrals?direction=in&state=closed&matter={matter}",
                     "/api/v1/referrals?state=sent", "/api/v1/referrals?colour=red",
                     "/api/v1/referrals/approvals"]
            for path in lists:
                page = 1
                while page <= (50 if a.demo else 3):
                    sep = "&" if "?" in path else "?"
                    s, b = same(user, cs, f"{path}{sep}page={page}")
                    if s != 200:
                        break
                    body = json.loads(b)
                    ids.update(it["id"] for it in body["items"])
                    if len(body["items"]) == 0 or page * 100 >= body["total"]:
                        break
                    page += 1
            for q in ["scope=org&state=open", "scope=org", "scope=mine", "scope=org&state=met",
                      "scope=org&colour=red", "scope=org&state=open&page_size=100"]:
                for page in (1, 2):
                    same(user, cs, f"/api/v1/duties?{q}&page={page}")
            if not a.demo and user == "coord.staff":
                n = int(toks["items"]) * 9 // 10
                ids.update(range(1, n + 1, a.sample))
            for i in sorted(ids):
                same(user, cs, f"/api/v1/referrals/{i}")
            same(user, cs, "/api/v1/referrals/999999999")
            # Collaboration requests (their orgs, users and duties are read in batches).
            cids = set()
            for path in ["/api/v1/collaborations?page_size=100", "/api/v1/collaborations?direction=in",
                         "/api/v1/collaborations?direction=out", "/api/v1/collaborations?state=closed"]:
                for page in (1, 2, 3):
                    s, b = same(user, cs, f"{path}&page={page}")
                    if s != 200:
                        break
                    body = json.loads(b)
                    cids.update(it["id"] for it in body["items"])
                    if not body["items"]:
                        break
            if not a.demo and user == "coord.staff":
                cids.update(range(1, int(toks["items"]) // 10 + 1, a.sample))
            for i in sorted(cids):
                same(user, cs, f"/api/v1/collaborations/{i}")
        print(f"identical: {compared} responses ({'demo county' if a.demo else a.db})")
    finally:
        for p in procs:
            p.terminate()
            p.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
