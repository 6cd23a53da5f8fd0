"""Differential test: `pgconflint dump hba` against pg_hba_file_rules of a real server
(--server: Debian's 15, or the test build of a major 12-18).

One throwaway cluster; generated files (thousands of valid and broken lines) and every
file of <shared>/corpus/hba are written to <data>/pg_hba.conf and read back through the
view, then compared row by row with `pgconflint dump hba <data>/pg_hba.conf --pg-version <major>`. On the test builds,
rows whose outcome depends on features they lack are left out (pgserver.build_dependent).

Documented server quirks the generator stays away from (they cannot be compared here):
* RADIUS server names other than numeric addresses and "localhost" need DNS at load
  time; pgconflint does no lookups and assumes they resolve.
* 12-15: a self-referencing @file makes the view query itself fail (maxAllocatedDescs);
  pgconflint reports that as an error (exit 2) - checked separately below. 16+ stop it at
  the nesting limit with an error row, compared like any other.
Exit: 0 all rows agree, 1 mismatch, 77 no server.
"""
from __future__ import annotations

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgserver  # noqa: E402
import viewdiff  # noqa: E402

TYPES = ['local', 'host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc']
BAD_TYPES = ['Host', 'include', 'include_dir', '"host"', 'host,local', 'hostssl,', 'LOCAL', '"local"',
             'hostgss', 'include_if_exists']
DBS = ['all', 'sameuser', 'samerole', 'samegroup', 'replication', '"all"', 'db1', 'db1,db2', 'db1, db2',
       'db1,,db2', 'db1,', '"my db"', '@dbs.txt', '"@dbs.txt"', '@"dbs.txt"', '@missing.txt', '@nested.txt',
       '@empty.txt', '@long.txt', '@sub', '@sub/rel.txt', '@', 'x@y', '/^db.*$', '"/^a,b$"', 'a#b', '""',
       'ALL', '"a""b"', 'c"d e"f', '"unterminated', 'db1,@dbs.txt', '+grp', '@./dbs.txt', '@../data/dbs.txt']
USERS = ['all', '+admins', '"+admins"', 'u1,u2', 'u1, "u 2"', '@users.txt', '"all"', '/(unbal', 'postgres',
         '+', '@missing.txt', 'u1,+g', '"u""q"', '@empty.txt,u1']
ADDRS = ['all', 'samehost', 'samenet', '"all"', '"samehost"', '127.0.0.1/32', '10.0.0.0/8', '10.1.2.3/8',
         '10.0.0.0/08', '10.0.0.0/8x', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/', '10.0.0.0/+8',
         '::1/128', '::1/129', 'fe80::1%lo/64', '::ffff:1.2.3.4/128', '[::1]/128', '300.1.1.1', 'example.com',
         '.example.com', 'example.com/24', '127.1/32', '0x0a.1/32', '010.0.0.1/32', '"10.0.0.0/ 8"',
         '1.2.3.4/0', '2001:db8::/32', '2001:DB8::1/64', 'a,b', '10.0.0.0/8,10.1.0.0/16', '""', '0/0',
         '127.0.0.1', '::1', '10.0.0.0', '2001:db8::', '1.2.3', 'localhost', '*', '0.0.0.0/0', '::/0',
         '255.255.255.255/32', '1.2.3.4.5/32', '01.02.03.04/32', '0x7f000001/32', '4294967295/32', '1e2/8']
MASKS = ['255.255.255.0', '255.255.0', '255.0.0.0', '0.0.0.0', 'ffff:ffff::', '::', 'trust', '255.255.255.255',
         '255.0.255.0', '"255.255.255.0"', 'a,b', '']
METHODS = ['trust', 'reject', 'md5', 'password', 'scram-sha-256', 'ident', 'peer', 'radius', 'gss', 'sspi',
           'pam', 'bsd', 'ldap', 'cert', 'oauth', 'Trust', 'trust,md5', '"trust"', 'md5,', 'krb5', 'crypt']
OPTIONS = {
    'any': ['map=x', 'map=', 'Map=x', 'clientcert=verify-full', 'clientcert=verify-ca', 'clientcert=1',
            'clientcert=0', 'clientcert=no-verify', 'clientname=CN', 'clientname=DN', 'clientname=cn',
            'noequals', '=x', 'a=b=c', 'issuer=x', 'scope=y', 'foo=bar', '"map=x y"', 'map="x y"',
            'map=a,map=b', 'map=a, map=b', 'map=a ,map=b'],
    'pam': ['pamservice=x', 'pam_use_hostname=1', 'pam_use_hostname=0'],
    'ldap': ['ldapserver=h', 'ldapport=389', 'ldapport=0', 'ldapport=389abc', 'ldapport=x', 'ldapscheme=ldaps',
             'ldapscheme=foo', 'ldaptls=1', 'ldaptls=0', 'ldapbasedn="dc=x"', 'ldapbinddn="cn=a"',
             'ldapbindpasswd=s3', 'ldapsearchattribute=uid', 'ldapsearchfilter="(uid=$username)"',
             'ldapprefix="cn="', 'ldapsuffix=",dc=x"', 'ldapurl=ldap://h/dc=x', 'ldapurl="ldap://h:1/dc=x?cn?sub"',
             'ldapurl=http://h/', 'ldapurl=ldaps://h', 'ldapurl="ldap://h/dc=x??one?(a=b)"', 'ldapurl=x',
             'ldapurl=ldap:///dc=x', 'ldapurl="ldap://[::1]:7/"', 'ldapbasedn=dc=x'],
    'gss': ['krb_realm=R', 'include_realm=0', 'include_realm=1', 'map=gmap', 'compat_realm=1', 'upn_username=1'],
    'radius': ['radiusservers=127.0.0.1', 'radiusservers="127.0.0.1,::1"', 'radiusservers=127.0.0.1,::1',
               'radiusservers=localhost', 'radiusservers=""', 'radiusservers="a,"', 'radiussecrets=s',
               'radiussecrets="s1,s2"', 'radiussecrets="s1,s2,s3"', 'radiusports=1812', 'radiusports=0',
               'radiusports="1,2"', 'radiusports="1,x"', 'radiusports=""', 'radiusidentifiers=x',
               'radiusidentifiers="x,y,z"', 'radiussecrets=""'],
    'peer': ['map=pmap'], 'ident': ['map=imap'], 'cert': ['map=cmap', 'clientcert=verify-full',
                                                          'clientcert=verify-ca', 'clientname=DN'],
}


def gen_line(rng: random.Random) -> str:
    t = rng.choice(TYPES) if rng.random() < 0.93 else rng.choice(BAD_TYPES)
    method = rng.choice(METHODS)
    fields = [t, rng.choice(DBS) if rng.random() < 0.6 else rng.choice(DBS[:8]),
              rng.choice(USERS) if rng.random() < 0.5 else 'all']
    if t != 'local' or rng.random() < 0.05:
        a = rng.choice(ADDRS)
        fields.append(a)
        if '/' not in a and rng.random() < 0.6:
            fields.append(rng.choice(MASKS))
    fields.append(method)
    base = method.strip('"').split(',')[0]
    pool = OPTIONS.get(base, []) + (OPTIONS['gss'] if base == 'sspi' else [])
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 4])):
        fields.append(rng.choice(pool) if pool and rng.random() < 0.75 else rng.choice(OPTIONS['any']))
    # mutations
    r = rng.random()
    if r < 0.05 and len(fields) > 2:
        del fields[rng.randrange(1, len(fields))]
    elif r < 0.08:
        fields.insert(rng.randrange(1, len(fields) + 1), rng.choice(['extra', '"x y"', ',', '#c']))
    seps = [rng.choice([' ', ' ', '\t', '  ', ' \t']) for _ in fields]
    line = ''.join(f + s for f, s in zip(fields, seps)).rstrip()
    r = rng.random()
    if r < 0.06:
        cut = [i for i, c in enumerate(line) if c == ' ']
        if cut:
            i = rng.choice(cut)
            line = line[:i] + rng.choice(['\\\n', ' \\\n', '\\\n  ']) + line[i + 1:]
    elif r < 0.08:
        line += rng.choice(['\\\\\n', '\\\n', ' # comment \\\n'])
    elif r < 0.11:
        line += rng.choice([' # trailing', '#x', ' ,', ',', '\r'])
    elif r < 0.12:
        line = '  ' + line
    # On 12 and 13 (no continuation) `radiusservers="a,"\` is the list `a,\`, whose name
    # `a` needs DNS (see above): keep backslashes away from that option.
    return line.replace('"a,"\\', '"a,"')


def special_lines() -> list[str]:
    tok = 'd' * 10238
    return [
        f'local {tok} all trust', f'local {tok}x all trust', f'local {tok}xy all trust',
        f'local {tok}x,a all trust', f'local "{tok}" all trust', f'local {tok}# all trust',
        'local all all trust\\\\', '', 'local all all md5', '# only a comment', ',,,', '"', '""',
        'local all all "unterminated trust', 'local "a""b" all trust', 'local all all trust # c \\',
        'local all all peer', 'local all all ident map=x', 'host all all all ident map=x',
        'include other.conf', 'include_dir conf.d', 'local all all trust\r', '\tlocal\tall\tall\ttrust',
        'local a,b, ,c all trust', 'local a ,b all trust', 'local @nested.txt @users.txt reject',
        'local all all @method.txt', 'local all all trust @opts.txt', '@line.txt',
        # canonicalize_path of 15+ removes `dir/..` even when dir does not exist
        'local @nosub/../dbs.txt all trust', 'local @sub/./../dbs.txt all trust',
    ]


def write_support_files(c: pgserver.Cluster) -> None:
    c.write('dbs.txt', 'db1\ndb2, db3\n# comment\n"quoted db"  "all"\n')
    c.write('users.txt', 'u1 u2\n+g1\n')
    c.write('nested.txt', '@dbs.txt extra\n')
    c.write('empty.txt', '')
    c.write('long.txt', 'x' * 10300 + '\n')
    c.write('sub/rel.txt', '@../dbs.txt\n')
    c.write('method.txt', 'trust\n')
    c.write('opts.txt', 'map=x\n')
    c.write('line.txt', 'local all all trust\n')
    c.write('loop.txt', '@loop.txt\n')
    # Include chains to the depth limit (16+): the l10 file, at depth 10, asks for an
    # include_if_exists of depth 11. Chain b opens a missing file first: the server then
    # skips the depth error silently (stale errno; docs/server-quirks.md).
    for chain, first in (('a', ''), ('b', 'include_if_exists missing.conf\n')):
        for i in range(1, 10):
            c.write(f'{chain}{i}.conf', f'include {chain}{i + 1}.conf\n' if i < 9 else first + 'include l10.conf\n')
    c.write('l10.conf', 'local all all trust\ninclude_if_exists l11.conf\nlocal all all reject\n')
    c.write('l11.conf', 'local all all md5\n')


def run_ours(binary: str, path: str, major: int) -> tuple[int, list, str]:
    return viewdiff.run_dump(binary, 'hba', path, '--pg-version', str(major), '--ssl', 'off', '--show-secrets')


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', required=True)
    ap.add_argument('--source')
    ap.add_argument('--shared', required=True)
    ap.add_argument('--batches', type=int, default=30)
    ap.add_argument('--lines', type=int, default=400)
    ap.add_argument('--seed', type=int, default=15)
    pgserver.add_server_argument(ap)
    args = ap.parse_args()
    srv = pgserver.Server(args.server)
    if not srv.available():
        print(f'hba differential: no server {args.server}, skipped')
        return 77
    rng = random.Random(args.seed)
    report: list[str] = []
    with pgserver.Cluster(srv) as c:
        write_support_files(c)
        hba = c.path('pg_hba.conf')
        cases: list[tuple[str, str]] = [('special', '\n'.join(special_lines()) + '\n'),
                                        ('depth', 'local all all trust\ninclude a1.conf\n'),
                                        ('depth-stale-errno', 'local all all trust\ninclude b1.conf\n')]
        for b in range(args.batches):
            cases.append((f'batch{b}', '\n'.join(gen_line(rng) for _ in range(args.lines)) + '\n'))
        cases += viewdiff.corpus_cases(args.shared, 'hba')
        counts = viewdiff.Counts()
        total, failed = viewdiff.compare_cases(c, cases, 'pg_hba.conf', c.hba_rules,
                                               lambda: run_ours(args.binary, hba, srv.major), report, counts)
        if srv.major >= 16:
            # @-file recursion stops at the nesting limit: an ordinary error row
            n, f = viewdiff.compare_cases(c, [('loop', 'local all @loop.txt trust\n')], 'pg_hba.conf',
                                          c.hba_rules, lambda: run_ours(args.binary, hba, srv.major),
                                          report, counts)
            total += n
            failed += f
        else:
            # 12-15: @-file recursion makes the server's query fail; pgconflint must fail too
            c.write('pg_hba.conf', 'local all @loop.txt trust\n')
            try:
                c.hba_rules()
                server_fails = False
            except RuntimeError:
                server_fails = True
            rc, _, _ = run_ours(args.binary, hba, srv.major)
            total += 1
            if not (server_fails and rc == 2):
                failed += 1
                report.append(f'loop: server fails={server_fails}, pgconflint exit={rc}')
        c.write('pg_hba.conf', c.original_hba)
    for r in report:
        print(r)
    print(f'hba differential, {srv.label()}: {total} lines, {total - failed} passed, {failed} failed'
          f' ({counts.build_dependent} build-dependent rows left out)')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
