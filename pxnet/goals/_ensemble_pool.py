"""Where an ensemble's batches run: in this process, on a persistent local pool, or on a Dask cluster.

The local pool is loky's reusable executor (shipped with joblib). Its workers start once and stay for later
ensembles of the same Python process (they exit after :data:`IDLE_SECONDS` unused), so start-up is paid once.
loky starts clean interpreters that do not re-import the caller's ``__main__``: a script without an
``if __name__ == "__main__":`` guard, a script read from standard input and a notebook all work. A worker that
dies (killed, out of memory) fails its batches at once instead of leaving the caller waiting; they are retried
once on a fresh pool, then an :class:`~pxnet.errors.AnalysisError` says what happened.

Each batch carries the pickled network and job with a token (a hash of the bytes); a worker unpickles them the
first time it sees the token and keeps them, with their memo of scenarios and routers, for later batches and
later ensembles on the same network.

On Dask the network is scattered to every worker once; a batch whose future is cancelled because a dependency
was lost (a worker left the cluster with the scattered network) is resubmitted with the network scattered again,
up to :data:`RETRIES` times. Results depend only on each draw's inputs, so a retried batch gives the same rows.
"""

from __future__ import annotations

import concurrent.futures
import copy
import hashlib
import math
import os
import pickle
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import AnalysisError, warn
from ..network import Network
from ._ensemble_draws import Batch, Job, Row, evaluate_batch

#: Seconds an idle pool worker waits for more work before it exits.
IDLE_SECONDS = 900
#: Times a batch is retried after its worker died (local) or its dependencies were lost (Dask).
RETRIES = 2

Finished = Callable[[int, list[Row]], None]

_WORKER: dict[str, tuple[Network, Job]] = {}


def _install(token: str, payload: bytes) -> tuple[Network, Job]:
    if token not in _WORKER:
        _WORKER.clear()  # one network at a time per worker process
        _WORKER[token] = pickle.loads(payload)
    return _WORKER[token]


def pool_batch(token: str, payload: bytes, batch: Batch) -> tuple[int, list[Row]]:
    """Evaluate one batch in a worker process (the network and job are unpickled once per token)."""
    net, job = _install(token, payload)
    return batch.number, evaluate_batch(net, job, batch)


def payload(net: Network, job: Job) -> tuple[str, bytes]:
    """Pickle the network (without its memo of scenarios and routers) and the job; the token hashes the bytes."""
    clone = copy.copy(net)
    clone.cache = {}
    data = pickle.dumps((clone, job), protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.sha256(data).hexdigest(), data


def is_dask_client(engine: Any) -> bool:
    """Whether ``engine`` looks like a ``dask.distributed.Client``."""
    return all(hasattr(engine, name) for name in ("scatter", "submit", "scheduler_info"))


def dask_workers(client: Any) -> int:
    """Return the number of workers of a Dask client's cluster (at least 1)."""
    return len(client.scheduler_info().get("workers", {})) or 1


def local_workers(workers: int | None) -> int:
    """Return the local pool size: ``workers``, or the number of CPUs this process may use."""
    if workers is not None:
        return workers
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# -- local pool -------------------------------------------------------------------------------------------


def _executor(n_workers: int, *, fresh: bool = False) -> Any:
    from joblib.externals.loky import get_reusable_executor

    return get_reusable_executor(max_workers=n_workers, timeout=IDLE_SECONDS, kill_workers=fresh)


def _broken() -> tuple[type[BaseException], ...]:
    from joblib.externals.loky.process_executor import BrokenProcessPool

    return (BrokenProcessPool, concurrent.futures.process.BrokenProcessPool)


def _keep_finished(futures: dict[Any, int], pending: dict[int, Any], finished: Finished) -> None:
    """Report the batches that completed before the pool broke; the rest stay pending for the retry."""
    for future, k in futures.items():
        if k in pending and future.done() and not future.cancelled() and future.exception() is None:
            number, rows = future.result()
            finished(number, rows)
            pending.pop(k)


def map_batches(
    task: Callable[..., tuple[int, list[Row]]],
    args: dict[int, tuple[Any, ...]],
    n_workers: int,
    finished: Finished,
) -> None:
    """Run ``task(*args[k])`` for every ``k`` on the persistent pool, calling ``finished`` as each completes.

    A batch lost with a dead worker is retried on a fresh pool up to :data:`RETRIES` times; then the call raises
    :class:`~pxnet.errors.AnalysisError`.
    """
    pending = dict(args)
    broken = _broken()
    cause: BaseException | None = None
    for attempt in range(RETRIES + 1):
        executor = _executor(n_workers, fresh=attempt > 0)
        futures = {executor.submit(task, *a): k for k, a in pending.items()}
        try:
            for future in concurrent.futures.as_completed(futures):
                number, rows = future.result()
                finished(number, rows)
                pending.pop(futures[future])
            return
        except BaseException as exc:
            for future in futures:
                future.cancel()  # an error in a draw, or Ctrl-C: leave no queued batch behind in the pool
            if not isinstance(exc, broken):
                raise
            cause = exc
            _keep_finished(futures, pending, finished)
    raise AnalysisError(
        f"a worker process of the ensemble's pool died {RETRIES + 1} times ({cause}); it may have run out of "
        "memory or been killed. Run with fewer workers, or workers=1 to evaluate in this process"
    ) from cause


def run_local(net: Network, job: Job, batches: list[Batch], n_workers: int, finished: Finished) -> int:
    """Evaluate the batches here (one worker) or on the persistent pool; return the number of workers used."""
    n_workers = max(1, min(n_workers, len(batches)))
    if n_workers > 1:
        try:
            import joblib.externals.loky  # noqa: F401  # only to know whether the pool is available
        except ImportError:
            warn(
                "joblib is not installed: the ensemble runs in this process (pip install joblib for a pool)",
                RuntimeWarning,
            )
            n_workers = 1
    if n_workers == 1:
        for b in batches:
            finished(b.number, evaluate_batch(net, job, b))
        return 1
    token, data = payload(net, job)
    map_batches(pool_batch, {b.number: (token, data, b) for b in batches}, n_workers, finished)
    return n_workers


# -- Dask --------------------------------------------------------------------------------------------------


def _lost() -> tuple[type[BaseException], ...]:
    import asyncio

    kinds: list[type[BaseException]] = [concurrent.futures.CancelledError, asyncio.CancelledError]
    try:
        from distributed.client import FutureCancelledError
    except ImportError:  # older distributed: plain CancelledError
        pass
    else:
        kinds.append(FutureCancelledError)
    return tuple(kinds)


def dask_batch(data: bytes, token: str, batch: Batch) -> tuple[int, list[Row]]:
    """Evaluate one batch on a Dask worker (``data`` is the scattered network and job)."""
    net, job = _install(token, data)
    return batch.number, evaluate_batch(net, job, batch)


def run_dask(client: Any, net: Network, job: Job, batches: list[Batch], finished: Finished) -> int:
    """Evaluate the batches on a Dask cluster, retrying those whose dependencies were lost; return its workers."""
    token, data = payload(net, job)
    lost = _lost()
    shared = client.scatter(data, broadcast=True)
    futures = [client.submit(dask_batch, shared, token, b, pure=False) for b in batches]
    for batch, future in zip(batches, futures, strict=True):
        for attempt in range(RETRIES + 1):
            try:
                number, rows = future.result()
                break
            except lost as exc:
                if attempt == RETRIES:
                    raise AnalysisError(
                        f"the Dask cluster lost batch {batch.number} of the ensemble {RETRIES + 1} times ({exc}); "
                        "check its workers, or run with engine='local'"
                    ) from exc
                shared = client.scatter(data, broadcast=True)  # the scattered network may be what was lost
                future = client.submit(dask_batch, shared, token, batch, pure=False)
        finished(number, rows)
    return dask_workers(client)


def batch_sizes(total: int, workers: int, batch_size: int | None) -> Iterable[tuple[int, int]]:
    """Yield ``(start, stop)`` of each batch: ``batch_size`` draws, or about four batches per worker."""
    size = batch_size or max(1, math.ceil(total / (4 * workers)))
    for start in range(0, total, size):
        yield start, min(start + size, total)


__all__ = [
    "IDLE_SECONDS",
    "RETRIES",
    "batch_sizes",
    "dask_batch",
    "dask_workers",
    "is_dask_client",
    "local_workers",
    "map_batches",
    "payload",
    "pool_batch",
    "run_dask",
    "run_local",
]
