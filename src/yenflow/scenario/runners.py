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

The thread pool does the same in one process without forking or shared
memory; it runs in parallel with the compiled engine only, whose kernels
release the GIL.

Engines: ``numpy`` runs :func:`yenflow.scenario.model.simulate`, ``compiled``
its numba twin :func:`yenflow.scenario.kernel.simulate` (same draws, same
numbers to float32 rounding; about 3.5× as fast per path-month, plus a
counting selection for the quantiles ~10× as fast as a partition, but ~0.5 s
to import numba and load the cached machine code once per process).
``auto`` picks the compiled engine when numba is installed and the run is
large enough to repay that load (a cost model: :func:`choose_engine`).
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
ENGINES = ("auto", "compiled", "numpy")
# auto's cost model (benchmarks/scenario.py on a 2-core machine): ns per path-month of each engine's model, ns per
# value of each engine's quantile step (19 variables × fan months × paths), and the one-off load of the compiled
# engine (import numba, read its machine code from the cache) in seconds
NUMPY_NS, COMPILED_NS = 300.0, 90.0
NUMPY_QUANTILE_NS, COMPILED_QUANTILE_NS = 20.0, 2.0
COMPILED_LOAD_S = 0.6


@dataclass(frozen=True)
class Job:
    """Everything one block needs (picklable, small)."""

    start: Start
    drivers: Drivers
    params: tuple[Parameter, ...]
    weights: tuple[tuple[str, float], ...]
    noise: float
    engine: str = "numpy"  # "numpy" or "compiled" (resolved by choose_engine before the run)

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
    engine: str = "numpy"


def block_plan(paths: int, seed: int) -> list[tuple[int, int, Any]]:
    """``(offset, size, SeedSequence)`` per block — the same whatever runs them."""
    import numpy as np

    sizes = [BLOCK_SIZE] * (paths // BLOCK_SIZE) + ([paths % BLOCK_SIZE] if paths % BLOCK_SIZE else [])
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    offsets = [sum(sizes[:i]) for i in range(len(sizes))]
    return list(zip(offsets, sizes, seeds))


def numba_installed() -> bool:
    from importlib.util import find_spec

    return find_spec("numba") is not None


def choose_engine(engine: str, paths: int, months: int, fan_months: int, workers: int = 1) -> str:
    """``numpy`` or ``compiled`` for a run of ``paths`` × ``months`` with ``fan_months`` recorded, on ``workers``.
    ``auto``: the compiled engine when numba is installed and its estimated time, counting its one-off load
    unless this process has it already, is the lower."""
    import sys

    if engine not in ENGINES:
        raise ScenarioError(f"engine {engine!r} is unknown; choose one of {', '.join(ENGINES)}")
    if engine == "compiled" and not numba_installed():
        raise ScenarioError("the compiled engine needs numba: install it (pip install numba) or use --engine numpy")
    if engine != "auto":
        return engine
    if not numba_installed():
        return "numpy"
    loaded = getattr(sys.modules.get("yenflow.scenario.kernel"), "loaded", False)
    path_months, values = paths * months / max(workers, 1), len(VARIABLES) * fan_months * paths / max(workers, 1)
    numpy_s = (NUMPY_NS * path_months + NUMPY_QUANTILE_NS * values) * 1e-9
    compiled_s = (COMPILED_NS * path_months + COMPILED_QUANTILE_NS * values) * 1e-9 + (0 if loaded else COMPILED_LOAD_S)
    return "compiled" if compiled_s < numpy_s else "numpy"


def _simulator(engine: str) -> Any:
    if engine == "compiled":
        from yenflow.scenario import kernel

        return kernel.simulate
    return simulate


def run_block(job: Job, size: int, seed: Any, out: "np.ndarray | None" = None
              ) -> tuple["np.ndarray", "np.ndarray", "np.ndarray"]:
    """Sample the parameters and simulate one block (into ``out`` if given); returns (outputs, parameters, sets)."""
    import numpy as np

    rng = np.random.Generator(np.random.PCG64(seed))
    p = sample(list(job.params), dict(job.weights), rng, size)
    out = _simulator(job.engine)(job.start, job.drivers, p, rng, job.noise, out=out)
    pm = np.stack([p[name] for name in job.sampled]) if job.sampled else np.empty((0, size))
    return out, pm, p["ust_set"].astype(np.int8)


def quantile_rows(rows: "np.ndarray", qs: tuple[float, ...] = QUANTILES, in_place: bool = False,
                  engine: str = "numpy") -> "np.ndarray":
    """Exact quantiles along the last axis (numpy's default linear interpolation), via one partition
    (of ``rows`` itself with ``in_place``: its order is then lost), or with the compiled engine a counting
    selection (same numbers; ``rows`` untouched)."""
    import numpy as np

    if engine == "compiled":
        from yenflow.scenario import kernel

        return kernel.quantiles(rows.reshape(-1, rows.shape[-1]), qs).reshape(*rows.shape[:-1], len(qs))

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


def _finish(outputs: "np.ndarray", keep_paths: bool, engine: str
            ) -> tuple["np.ndarray", "np.ndarray", "np.ndarray | None"]:
    """(quantiles, horizon values, outputs if kept): partitions ``outputs`` in place unless the paths are kept."""
    v, m, n = outputs.shape
    horizon = outputs[:, -1, :].copy()
    q = quantile_rows(outputs.reshape(-1, n), in_place=not keep_paths, engine=engine).reshape(v, m, len(QUANTILES))
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
    q, horizon, kept = _finish(outputs, keep_paths, job.engine)
    return RawRun(kept, horizon, params, sets, q, job.sampled, "numpy", 1, len(plan), job.engine)


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


def _shm_quantiles(name: str, out_shape: tuple, par_shape: tuple, rows: tuple[int, int], in_place: bool,
                   engine: str) -> "np.ndarray":
    from multiprocessing import shared_memory

    shm = shared_memory.SharedMemory(name=name)
    try:
        outputs, _, _ = _views(shm.buf, out_shape, par_shape)
        flat = outputs.reshape(-1, out_shape[2])
        q = quantile_rows(flat[rows[0]:rows[1]], in_place=in_place, engine=engine)
        del outputs, flat
        return q
    finally:
        shm.close()


def _release_later(shm: Any) -> None:
    """Unmap and unlink the shared array off the caller's path: freeing a few hundred MB of pages takes ~0.1 s.
    A non-daemon thread, so the interpreter waits for it before it exits (nothing is left in /dev/shm)."""
    import threading

    def release() -> None:
        shm.close()
        shm.unlink()

    threading.Thread(target=release, name="yenflow-shm-release").start()


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
    if job.engine == "compiled":  # load the machine code once, here: the forked workers inherit it
        from yenflow.scenario import kernel

        kernel.warm()
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
            args = [(shm.name, out_shape, par_shape, c, True, job.engine) for c in chunks]
            parts = list(pool.map(_shm_quantiles, *zip(*args)))
        params, sets = views[1].copy(), views[2].copy()
        del views
    finally:
        _release_later(shm)
    q = np.concatenate(parts).reshape(out_shape[0], out_shape[1], len(QUANTILES))
    return RawRun(kept, horizon, params, sets, q, job.sampled, "processes", workers, len(plan), job.engine)


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
    q, horizon, kept = _finish(outputs, keep_paths, job.engine)
    return RawRun(kept, horizon, params, sets, q, job.sampled, "dask", n_workers, len(plan), job.engine)


# --------------------------------------------------------------------------- threads


def _run_threads(job: Job, paths: int, seed: int, workers: int | None, keep_paths: bool) -> RawRun:
    """Blocks and quantile rows on a thread pool, straight into one array. Parallel only with the compiled
    engine, whose kernels release the GIL (numpy's many small operations mostly hold it)."""
    import numpy as np
    from concurrent.futures import ThreadPoolExecutor

    workers = workers or os.cpu_count() or 1
    out_shape, par_shape = _shapes(job, paths)
    outputs = np.empty(out_shape, np.float32)
    params = np.empty(par_shape)
    sets = np.empty(paths, np.int8)
    plan = block_plan(paths, seed)
    if job.engine == "compiled":
        from yenflow.scenario import kernel

        kernel.warm()

    def block(offset: int, size: int, ss: Any) -> None:
        _, pm, st = run_block(job, size, ss, out=outputs[:, :, offset:offset + size])
        params[:, offset:offset + size], sets[offset:offset + size] = pm, st

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="yenflow-scenario") as pool:
        for f in [pool.submit(block, off, n, ss) for off, n, ss in plan]:
            f.result()
        horizon = outputs[:, -1, :].copy()
        in_place = not keep_paths and job.engine != "compiled"  # the compiled selection leaves the rows as they are
        rows = outputs.reshape(-1, paths)
        step = -(-rows.shape[0] // (workers * 4))
        parts = list(pool.map(lambda i: quantile_rows(rows[i:i + step], in_place=in_place, engine=job.engine),
                              range(0, rows.shape[0], step)))
    q = np.concatenate(parts).reshape(out_shape[0], out_shape[1], len(QUANTILES))
    return RawRun(outputs if keep_paths else None, horizon, params, sets, q, job.sampled, "threads", workers,
                  len(plan), job.engine)


def run(job: Job, paths: int, seed: int, backend: str = "numpy", workers: int | None = None,
        scheduler: str | None = None, keep_paths: bool = False, engine: str = "auto") -> RawRun:
    """Simulate ``paths`` paths with ``backend`` (``numpy``, ``threads``, ``processes``, ``dask``, or ``auto``:
    from four blocks of paths on a machine with several cores, threads with the compiled engine and a process
    pool with numpy; else one process) and ``engine`` (see the module docstring) — the results are the same
    whichever runs them."""
    from dataclasses import replace

    cores = workers or os.cpu_count() or 1
    if backend == "auto":
        parallel = paths >= 4 * BLOCK_SIZE and cores > 1
        engine = choose_engine(engine, paths, len(job.drivers.fed) - 1, len(job.drivers.record),
                               cores if parallel else 1)
        backend = ("threads" if engine == "compiled" else "processes") if parallel else "numpy"
    if backend not in BACKENDS:
        raise ScenarioError(f"backend {backend!r} is unknown; choose one of {', '.join(BACKENDS)}")
    if workers is not None and workers <= 0:
        raise ScenarioError(f"workers must be a positive whole number, got {workers}")
    if scheduler and backend != "dask":
        raise ScenarioError("--scheduler needs --backend dask")
    job = replace(job, engine=choose_engine(engine, paths, len(job.drivers.fed) - 1, len(job.drivers.record),
                                            1 if backend == "numpy" else cores))
    if backend == "numpy":
        return _run_numpy(job, paths, seed, keep_paths)
    if backend == "threads":
        return _run_threads(job, paths, seed, workers, keep_paths)
    if backend == "processes":
        return _run_processes(job, paths, seed, workers, keep_paths)
    return _run_dask(job, paths, seed, workers, scheduler, keep_paths)
