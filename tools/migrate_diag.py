#!/usr/bin/env python3
"""Rewrites rule sources from ctx.report(make_diag(...)) to the rule-bound builder.

  ctx.report(ssl::make_diag(k_meta, SEV, MSG, SPAN[, HELP[, RELATED]]));
  ctx.report(analysis::make_diagnostic(k_meta, MSG, SPAN, HELP));
  ctx.report(hba::make_diag(k_meta, ...));   # same shapes, other namespaces
become
  diag(ctx, SPAN, MSG).help(HELP).notes(RELATED)[.severity(SEV)];

SEV is dropped when it is k_meta.default_severity. Calls that do not have one of these
shapes are left alone (and listed), so the result always compiles as before.
Usage: python3 tools/migrate_diag.py rules/ssl/*.cpp
"""
import re
import sys

CALL = re.compile(r'ctx\.report\(\s*(?:[a-z]+::)?(make_diag|make_diagnostic)\(')


def split_args(text, start):
    """Arguments of the call whose '(' is at text[start-1]; returns (args, index after ')')."""
    depth, i, cur, args, quote = 0, start, [], [], None
    while i < len(text):
        c = text[i]
        if quote:
            cur.append(c)
            if c == '\\':
                cur.append(text[i + 1])
                i += 1
            elif c == quote:
                quote = None
        elif c in '"\'':
            quote = c
            cur.append(c)
        elif c in '([{':
            depth += 1
            cur.append(c)
        elif c in ')]}':
            if depth == 0:
                args.append(''.join(cur).strip())
                return args, i + 1
            depth -= 1
            cur.append(c)
        elif c == ',' and depth == 0:
            args.append(''.join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    raise ValueError('unbalanced call')


def rewrite(text, path):
    out, pos = [], 0
    for m in CALL.finditer(text):
        if m.start() < pos:
            continue
        args, end = split_args(text, m.end())
        # the closing ')' of ctx.report(
        rest = re.match(r'\s*\)\s*;', text[end:])
        if not rest:
            print(f'{path}: left alone: {text[m.start():end][:60]}...', file=sys.stderr)
            continue
        meta = args[0]
        if m.group(1) == 'make_diag' and len(args) >= 4:
            sev, msg, span, extra = args[1], args[2], args[3], args[4:]
        elif len(args) >= 3:
            sev, msg, span, extra = None, args[1], args[2], args[3:]
        else:
            print(f'{path}: left alone: {text[m.start():end][:60]}...', file=sys.stderr)
            continue
        call = f'diag(ctx, {span}, {msg})'
        if meta != 'k_meta':
            call = f'ctx.diag({meta}, {span}, {msg})'
        if extra and extra[0] not in ('{}', '""', 'std::string()', 'std::string{}'):
            call += f'\n        .help({extra[0]})'
        if len(extra) > 1 and extra[1] not in ('{}',):
            call += f'\n        .notes({extra[1]})'
        if sev and sev not in (f'{meta}.default_severity',):
            call += f'\n        .severity({sev})'
        out.append(text[pos:m.start()])
        out.append(call + ';')
        pos = end + rest.end()
    out.append(text[pos:])
    return ''.join(out)


for p in sys.argv[1:]:
    with open(p) as f:
        t = f.read()
    n = rewrite(t, p)
    if n != t:
        with open(p, 'w') as f:
            f.write(n)
