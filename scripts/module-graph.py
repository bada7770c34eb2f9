#!/usr/bin/env python3
"""The module graph of each crate, read from its `use` lines and paths
(`crate::`, `super::`, a parent's uses of its children, re-exports resolved
to the module that defines the item). Fails when the graph has a circle, or
when `db/` (the server's SQL) or the domain points upward.

A child's uses of its ancestors are not arrows (a child is part of its
parent). Usage: python3 scripts/module-graph.py [--edges]
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CRATES = {"browser (src)": "src", "server (crates/server/src)": "crates/server/src", "domain (crates/domain/src)": "crates/domain/src", "tooling (crates/tooling/src)": "crates/tooling/src"}


def graph(root):
    """The crate's modules and, for each, the modules it uses."""
    mods = {}
    for dp, _, fs in os.walk(root):
        for f in fs:
            if not f.endswith('.rs'): continue
            p = os.path.join(dp, f); rel = os.path.relpath(p, root)[:-3]
            parts = rel.split('/')
            if parts[-1] in ('mod', 'lib', 'main'): parts = parts[:-1]
            if parts and parts[0] == 'bin': continue
            mods['::'.join(parts)] = open(p).read()
    names = set(mods)
    # re-exports: `pub use child::{A, B}` in m makes m::A resolve to m::child
    reexp = {}
    for m, src in mods.items():
        for um in re.finditer(r'pub(?:\(crate\))?\s+use\s+(?:self::)?(\w+)::([^;]*);', src, re.S):
            child = (m + '::' if m else '') + um.group(1)
            if child not in names: continue
            body = um.group(2)
            for nm in re.findall(r'\b(\w+)\b', body):
                reexp[(m, nm)] = child
    def resolve(path):
        segs = path.split('::')
        for i in range(len(segs), 0, -1):
            m = '::'.join(segs[:i])
            if m in names:
                if i < len(segs) and (m, segs[i]) in reexp: return reexp[(m, segs[i])]
                return m
        return None
    edges = {m: set() for m in mods}
    for m, src in mods.items():
        # strip test modules roughly
        src = re.split(r'#\[cfg\(test\)\]\s*mod tests\s*\{', src)[0]
        src = re.sub(r'//.*', '', src)
        # expand use crate::{a, b::c}
        for um in re.finditer(r'use\s+crate::\{([^;]*)\};', src, re.S):
            for item in re.split(r',\s*(?![^{]*\})', um.group(1)):
                item = item.strip()
                head = re.match(r'([\w:]+)', item)
                if not head: continue
                h = head.group(1).rstrip(':')
                inner = re.search(r'\{(.*)\}', item, re.S)
                cands = [h] + ([h + '::' + x.strip().split(' ')[0] for x in inner.group(1).split(',')] if inner else [])
                for c in cands:
                    t = resolve(c)
                    if t and t != m and not m.startswith(t + '::') : edges[m].add(t)
        for um in re.finditer(r'crate::([\w:]+)', src):
            t = resolve(um.group(1).rstrip(':'))
            if t and t != m and not m.startswith(t + '::'): edges[m].add(t)
        # a parent's uses of its own children (`use child::x`, `child::f()`)
        for child in [n for n in names if n.startswith(m + '::' if m else '') and n.count('::') == (m.count('::') + 1 if m else 0)]:
            short = child.split('::')[-1]
            if re.search(r'(?<![\w:])' + short + r'::', re.sub(r'pub(?:\(crate\))?\s+use[^;]*;', '', src)): edges[m].add(child)
        # super:: references
        for um in re.finditer(r'super::([\w:]+)', src):
            parent = '::'.join(m.split('::')[:-1])
            t = resolve((parent + '::' if parent else '') + um.group(1).rstrip(':'))
            if t and t != m and not m.startswith(t + '::'): edges[m].add(t)
    return edges


def circles(edges):
    """The strongly connected components of more than one module (Tarjan)."""
    sys.setrecursionlimit(10000)
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def main():
    problems = 0
    for name, path in CRATES.items():
        edges = graph(os.path.join(ROOT, path))
        found = circles(edges)
        upward = []
        if path == "crates/server/src":
            upward = [(m, t) for m in edges if m == "db" or m.startswith("db::") for t in edges[m] if not (t == "db" or t.startswith("db::"))]
        print(f"  {name}: {len(edges)} modules, {sum(len(e) for e in edges.values())} arrows, {len(found)} circles, {len(upward)} arrows up from db/")
        for comp in found:
            print("    circle:", " ".join(comp))
        for m, t in upward:
            print(f"    upward: {m} -> {t}")
        if "--edges" in sys.argv:
            for m in sorted(edges):
                print(f"    {m or '<root>'} -> {', '.join(sorted(edges[m]))}")
        problems += len(found) + len(upward)
    # The domain is the bottom layer: it depends on no crate of the project.
    manifest = open(os.path.join(ROOT, "crates/domain/Cargo.toml")).read()
    if re.search(r'^\s*(server|client-access-manager|cam[-_]\w+)\s*=', manifest, re.M):
        print("  the domain depends on another crate of the project")
        problems += 1
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
