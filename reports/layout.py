"""Node positions for the co-participation network: a force-directed (Fruchterman–Reingold) layout.

Deterministic: the start positions come from a seeded generator over the nodes in sorted order,
so the same nodes and edges always give the same picture. A weak pull towards the centre keeps
the separate groups (meetings whose participants never meet the others) in view. Plain Python:
O(nodes² × iterations), meant for the few dozen nodes a readable network shows.
"""
from __future__ import annotations

import math
import random
from collections.abc import Iterable

Position = tuple[float, float]


def spring_layout(nodes: Iterable[str], edges: Iterable[tuple[str, str, float]], *, iterations: int = 300,
                  seed: int = 7, gravity: float = 0.08) -> dict[str, Position]:
    """node -> (x, y) in [0, 1]²; `edges` are (source, target, weight), a heavier edge pulls harder."""
    names = sorted(set(nodes))
    n = len(names)
    if n == 0:
        return {}
    if n == 1:
        return {names[0]: (0.5, 0.5)}
    index = {name: i for i, name in enumerate(names)}
    links = [(index[a], index[b], max(float(w), 1.0)) for a, b, w in edges
             if a in index and b in index and a != b]
    rng = random.Random(seed)
    x = [rng.random() for _ in names]
    y = [rng.random() for _ in names]
    k = math.sqrt(1.0 / n)                      # the ideal distance between two nodes
    step = 0.1
    for _ in range(iterations):
        dx = [0.0] * n
        dy = [0.0] * n
        for i in range(n):                      # every pair repels
            for j in range(i + 1, n):
                ex, ey = x[i] - x[j], y[i] - y[j]
                d = max(math.hypot(ex, ey), 1e-6)
                f = k * k / d / d
                dx[i] += ex * f
                dy[i] += ey * f
                dx[j] -= ex * f
                dy[j] -= ey * f
        for i, j, w in links:                   # linked nodes attract
            ex, ey = x[i] - x[j], y[i] - y[j]
            d = max(math.hypot(ex, ey), 1e-6)
            f = d * w / k
            dx[i] -= ex * f
            dy[i] -= ey * f
            dx[j] += ex * f
            dy[j] += ey * f
        for i in range(n):                      # a weak pull to the centre, then a bounded move
            dx[i] -= (x[i] - 0.5) * gravity * n
            dy[i] -= (y[i] - 0.5) * gravity * n
            d = max(math.hypot(dx[i], dy[i]), 1e-9)
            move = min(d, step)
            x[i] += dx[i] / d * move
            y[i] += dy[i] / d * move
        step = max(step * 0.98, 0.002)
    return dict(zip(names, _normalise(x, y), strict=True))


def _normalise(x: list[float], y: list[float]) -> list[Position]:
    """The positions scaled, aspect kept, into [0, 1]² and centred."""
    x0, x1, y0, y1 = min(x), max(x), min(y), max(y)
    span = max(x1 - x0, y1 - y0, 1e-9)
    ox = (1 - (x1 - x0) / span) / 2
    oy = (1 - (y1 - y0) / span) / 2
    return [(round(ox + (a - x0) / span, 4), round(oy + (b - y0) / span, 4)) for a, b in zip(x, y, strict=True)]
