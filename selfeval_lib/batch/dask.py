"""Run tasks on a Dask cluster instead of the local pool: placement, retries and worker failures
are Dask's; each Dask worker thread keeps one warm kernel (started on first use)."""

from __future__ import annotations

import atexit
import socket
import threading
import uuid
from typing import Callable, Iterator

from selfeval_lib.batch.executors import run_task
from selfeval_lib.batch.task import Outcome
from selfeval_lib.batch.task import Task
from selfeval_lib.errors import SelfevalError
from selfeval_lib.files.atomic import describe

#: Seconds to wait for a scheduler's TCP port to answer, and for the Dask client to connect.
CONNECT_SECONDS = 5

_dask_local = threading.local()


def _run_on_dask_worker(task: Task) -> Outcome:
    """A Dask task: run one project on this worker thread's warm kernel (started on first use)."""
    from selfeval_lib.runner.kernel import WarmKernel
    from selfeval_lib.runner.options import DEFAULT_KERNEL
    from selfeval_lib.runner.startup import skip_slow_optional_imports

    kernel = getattr(_dask_local, "kernel", None)
    if kernel is None:
        skip_slow_optional_imports()
        kernel = WarmKernel(task.options.kernel_name or DEFAULT_KERNEL,
                            cwd=task.product.notebook_for(task.options).parent)
        kernel.start()
        atexit.register(kernel.shutdown)
        _dask_local.kernel = kernel
    return run_task(task, kernel)


def check_scheduler(address: str) -> None:
    """Fail fast, before any planning, on a scheduler address that is malformed or does not
    answer: :class:`~selfeval_lib.errors.SelfevalError` naming the address and the reason."""
    if address == "local":
        return
    from distributed.comm.addressing import parse_address, parse_host_port

    usage = "应为 tcp://主机:端口（例如 tcp://192.168.1.10:8786），或 local（本机 LocalCluster）"
    try:
        scheme, location = parse_address(address)
        host, port = parse_host_port(location) if scheme in ("tcp", "tls") else (None, None)
    except (ValueError, TypeError) as exc:
        raise SelfevalError(f"--scheduler {address}：Dask 调度器地址无效（{exc}）；{usage}") from None
    if host is None or not port:
        raise SelfevalError(f"--scheduler {address}：不支持的 Dask 调度器地址；{usage}")
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_SECONDS).close()
    except socket.gaierror:
        raise SelfevalError(f"--scheduler {address}：找不到主机 {host}") from None
    except OSError as exc:
        reason = "连接超时" if isinstance(exc, TimeoutError) else "连接被拒绝（该端口没有运行 Dask 调度器）" \
            if isinstance(exc, ConnectionRefusedError) else describe(exc)
        raise SelfevalError(f"--scheduler {address}：无法连接 Dask 调度器，{reason}") from None


def run_dask(tasks: list[Task], scheduler: str, jobs: int,
             on_connect: Callable[[str | None], None] | None = None) -> Iterator[Outcome]:
    """Run tasks on a Dask cluster: ``scheduler`` is ``tcp://HOST:PORT`` or ``local`` (a
    LocalCluster of ``jobs`` single-threaded worker processes). A task lost with its worker is
    retried elsewhere (files are written atomically, so a retry never leaves a half-written file)."""
    if not tasks:
        return
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise RuntimeError("--scheduler 需要 Dask：pip install 'selfeval[dask]'") from None
    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=":0")
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout=CONNECT_SECONDS * 2)
        except Exception as exc:  # noqa: BLE001 - the port answered, but not as a Dask scheduler
            why = describe(exc) if isinstance(exc, OSError) else "该地址的服务不是 Dask 调度器，或版本不兼容"
            raise SelfevalError(f"--scheduler {scheduler}：无法连接 Dask 调度器（{why}）") from None
    try:
        if on_connect:
            on_connect(client.dashboard_link)
        futures = {client.submit(_run_on_dask_worker, task,
                                 key=f"selfeval-{task.year}-{task.project_id}-{uuid.uuid4().hex[:8]}",
                                 pure=False, retries=2): task for task in tasks}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # KilledWorker after too many losses, a lost scheduler …
                yield Outcome(futures[future], "failed", 0.0, error=f"Dask 任务失败：{type(exc).__name__}: {exc}")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
