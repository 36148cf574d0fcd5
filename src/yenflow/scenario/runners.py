"""Run the model over many paths: numpy in-process, a process pool, or dask.distributed — one interface.

Reproducibility: the paths are cut into fixed blocks of :data:`BLOCK_SIZE`
(the last one shorter) and block ``i`` draws from
``SeedSequence(seed).spawn(n_blocks)[i]``. The blocks do not depend on the
backend or the number of workers, and the results are put back in block
order, so the same seed gives bit-identical paths, quantiles and
sensitivities everywhere. (Changing :data:`BLOCK_SIZE` changes the streams.)

The process pool writes each block straight into one shared-memory array
(no pickling of path data) and computes the quantiles in parallel from it;
dask returns each block to the client. Worker processes are forked where the
platform allows it (they never touch the store).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from yenflow.scenario.inputs import BACKENDS, ScenarioError
from yenflow.scenario.model import VARIABLES, Drivers, Start, simulate
from yenflow.scenario.parameters import Parameter, sample

if TYPE_CHECKING:
    import numpy as np

BLOCK_SIZE = 8192
QUANTILES = (0.05, 0.25, 0.50, 0.75, 0.95)


@dataclass(frozen=True)
class Job:
    """Everything one block needs (picklable, small)."""

    start: Start
    drivers: Drivers
    params: tuple[Parameter, ...]
    weights: tuple[tuple[str, float], ...]
    noise: float

    @property
    def sampled(self) -> tuple[str, ...]:
        """Parameters that vary across paths, in sampling order (rows of the parameter matrix)."""
        return tuple(p.name for p in self.params if p.dist != "fixed")


@dataclass
class RawRun:
    """Per-path results in block order: ``outputs`` (variables, months, paths) float32 (``None`` unless the
    paths were kept), ``horizon`` (variables, paths) the values at the horizon, ``params`` (sampled parameters,
    paths), ``sets`` (paths,) the elasticity set index."""

    outputs: "np.ndarray | None"
    horizon: "np.ndarray"
    params: "np.ndarray"
    sets: "np.ndarray"
    quantiles: "np.ndarray"  # (variables, months, len(QUANTILES))
    param_names: tuple[str, ...]
    backend: str
    workers: int
    blocks: int


def block_plan(paths: int, seed: int) -> list[tuple[int, int, Any]]:
    """``(offset, size, SeedSequence)`` per block — the same whatever runs them."""
    import numpy as np

    sizes = [BLOCK_SIZE] * (paths // BLOCK_SIZE) + ([paths % BLOCK_SIZE] if paths % BLOCK_SIZE else [])
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    offsets = [sum(sizes[:i]) for i in range(len(sizes))]
    return list(zip(offsets, sizes, seeds))


def run_block(job: Job, size: int, seed: Any, out: "np.ndarray | None" = None
              ) -> tuple["np.ndarray", "np.ndarray", "np.ndarray"]:
    """Sample the parameters and simulate one block (into ``out`` if given); returns (outputs, parameters, sets)."""
    import numpy as np

    rng = np.random.Generator(np.random.PCG64(seed))
    p = sample(list(job.params), dict(job.weights), rng, size)
    out = simulate(job.start, job.drivers, p, rng, job.noise, out=out)
    pm = np.stack([p[name] for name in job.sampled]) if job.sampled else np.empty((0, size))
    return out, pm, p["ust_set"].astype(np.int8)


def quantile_rows(rows: "np.ndarray", qs: tuple[float, ...] = QUANTILES, in_place: bool = False) -> "np.ndarray":
    """Exact quantiles along the last axis (numpy's default linear interpolation), via one partition
    (of ``rows`` itself with ``in_place``: its order is then lost)."""
    import numpy as np

    n = rows.shape[-1]
    pos = [q * (n - 1) for q in qs]
    lo = [int(np.floor(x)) for x in pos]
    hi = [min(i + 1, n - 1) for i in lo]
    kth = sorted(set(lo + hi))
    if in_place:
        rows.partition(kth, axis=-1)
        part = rows
    else:
        part = np.partition(rows, kth, axis=-1)
    a, b = part[..., lo].astype(np.float64), part[..., hi].astype(np.float64)
    frac = np.array([x - i for x, i in zip(pos, lo)])
    return a + (b - a) * frac


def _shapes(job: Job, paths: int) -> tuple[tuple[int, int, int], tuple[int, int]]:
    return (len(VARIABLES), len(job.drivers.record), paths), (len(job.sampled), paths)


# --------------------------------------------------------------------------- numpy


def _finish(outputs: "np.ndarray", keep_paths: bool) -> tuple["np.ndarray", "np.ndarray", "np.ndarray | None"]:
    """(quantiles, horizon values, outputs if kept): partitions ``outputs`` in place unless the paths are kept."""
    v, m, n = outputs.shape
    horizon = outputs[:, -1, :].copy()
    q = quantile_rows(outputs.reshape(-1, n), in_place=not keep_paths).reshape(v, m, len(QUANTILES))
    return q, horizon, outputs if keep_paths else None


def _run_numpy(job: Job, paths: int, seed: int, keep_paths: bool) -> RawRun:
    import numpy as np

    out_shape, par_shape = _shapes(job, paths)
    outputs = np.empty(out_shape, np.float32)
    params = np.empty(par_shape)
    sets = np.empty(paths, np.int8)
    plan = block_plan(paths, seed)
    for offset, size, ss in plan:
        _, pm, st = run_block(job, size, ss, out=outputs[:, :, offset:offset + size])
        params[:, offset:offset + size], sets[offset:offset + size] = pm, st
    q, horizon, kept = _finish(outputs, keep_paths)
    return RawRun(kept, horizon, params, sets, q, job.sampled, "numpy", 1, len(plan))


# --------------------------------------------------------------------------- processes


def _views(buf: Any, out_shape: tuple, par_shape: tuple) -> tuple["np.ndarray", "np.ndarray", "np.ndarray"]:
    import numpy as np

    n_out = int(np.prod(out_shape)) * 4
    n_par = int(np.prod(par_shape)) * 8
    outputs = np.ndarray(out_shape, np.float32, buffer=buf, offset=0)
    params = np.ndarray(par_shape, np.float64, buffer=buf, offset=n_out)
    sets = np.ndarray((out_shape[2],), np.int8, buffer=buf, offset=n_out + n_par)
    return outputs, params, sets


def _shm_block(job: Job, offset: int, size: int, seed: Any, name: str, out_shape: tuple, par_shape: tuple) -> None:
    from multiprocessing import shared_memory

    shm = shared_memory.SharedMemory(name=name)
    try:
        outputs, params, sets = _views(shm.buf, out_shape, par_shape)
        _, pm, st = run_block(job, size, seed, out=outputs[:, :, offset:offset + size])
        params[:, offset:offset + size], sets[offset:offset + size] = pm, st
        del outputs, params, sets
    finally:
        shm.close()


def _shm_quantiles(name: str, out_shape: tuple, par_shape: tuple, rows: tuple[int, int], in_place: bool
                   ) -> "np.ndarray":
    from multiprocessing import shared_memory

    shm = shared_memory.SharedMemory(name=name)
    try:
        outputs, _, _ = _views(shm.buf, out_shape, par_shape)
        flat = outputs.reshape(-1, out_shape[2])
        q = quantile_rows(flat[rows[0]:rows[1]], in_place=in_place)
        del outputs, flat
        return q
    finally:
        shm.close()


def _pool(workers: int) -> Any:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context(method))


def _run_processes(job: Job, paths: int, seed: int, workers: int | None, keep_paths: bool) -> RawRun:
    import numpy as np
    from multiprocessing import shared_memory

    workers = workers or os.cpu_count() or 1
    out_shape, par_shape = _shapes(job, paths)
    size = int(np.prod(out_shape)) * 4 + int(np.prod(par_shape)) * 8 + paths
    shm = shared_memory.SharedMemory(create=True, size=size)
    plan = block_plan(paths, seed)
    try:
        with _pool(workers) as pool:
            futures = [pool.submit(_shm_block, job, off, n, ss, shm.name, out_shape, par_shape) for off, n, ss in plan]
            for f in futures:
                f.result()
            views = _views(shm.buf, out_shape, par_shape)
            horizon = views[0][:, -1, :].copy()
            kept = views[0].copy() if keep_paths else None
            n_rows = out_shape[0] * out_shape[1]
            step = -(-n_rows // (workers * 4))
            chunks = [(i, min(i + step, n_rows)) for i in range(0, n_rows, step)]
            parts = list(pool.map(_shm_quantiles, *zip(*[(shm.name, out_shape, par_shape, c, True) for c in chunks])))
        params, sets = views[1].copy(), views[2].copy()
        del views
    finally:
        shm.close()
        shm.unlink()
    q = np.concatenate(parts).reshape(out_shape[0], out_shape[1], len(QUANTILES))
    return RawRun(kept, horizon, params, sets, q, job.sampled, "processes", workers, len(plan))


# --------------------------------------------------------------------------- dask


def _run_dask(job: Job, paths: int, seed: int, workers: int | None, scheduler: str | None, keep_paths: bool
              ) -> RawRun:
    import numpy as np

    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ScenarioError("the dask backend needs dask.distributed: install yenflow[dask]") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
        else:
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
    except OSError as e:
        raise ScenarioError(f"could not reach the dask scheduler {scheduler!r}: {e}") from None
    try:
        n_workers = len(client.scheduler_info()["workers"])
        plan = block_plan(paths, seed)
        job_f = client.scatter(job, broadcast=True)
        futures = [client.submit(run_block, job_f, n, ss, pure=False) for _, n, ss in plan]
        results = client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    outputs = np.concatenate([r[0] for r in results], axis=2)
    params = np.concatenate([r[1] for r in results], axis=1)
    sets = np.concatenate([r[2] for r in results])
    q, horizon, kept = _finish(outputs, keep_paths)
    return RawRun(kept, horizon, params, sets, q, job.sampled, "dask", n_workers, len(plan))


def run(job: Job, paths: int, seed: int, backend: str = "numpy", workers: int | None = None,
        scheduler: str | None = None, keep_paths: bool = False) -> RawRun:
    """Simulate ``paths`` paths with ``backend`` (``numpy``, ``processes``, ``dask``, or ``auto``: the process
    pool from four blocks of paths up on a machine with several cores, else numpy — the results are the same)."""
    if backend == "auto":
        backend = "processes" if paths >= 4 * BLOCK_SIZE and (workers or os.cpu_count() or 1) > 1 else "numpy"
    if backend not in BACKENDS:
        raise ScenarioError(f"backend {backend!r} is unknown; choose one of {', '.join(BACKENDS)}")
    if workers is not None and workers <= 0:
        raise ScenarioError(f"workers must be a positive whole number, got {workers}")
    if scheduler and backend != "dask":
        raise ScenarioError("--scheduler needs --backend dask")
    if backend == "numpy":
        return _run_numpy(job, paths, seed, keep_paths)
    if backend == "processes":
        return _run_processes(job, paths, seed, workers, keep_paths)
    return _run_dask(job, paths, seed, workers, scheduler, keep_paths)
