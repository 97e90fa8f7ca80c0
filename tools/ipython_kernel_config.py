# IPython kernel configuration installed by `make venv` into .venv/etc/ipython/,
# which every kernel started with the venv's Python reads (book build, nbval, `make lab`).
#
# ipykernel logs "Kernel is running over TCP without encryption ..." whenever its
# client did not provision CurveZMQ keys. The clients that start kernels in this
# project's build -- myst-nb (through jupyter-cache/nbclient) and nbval -- create
# their jupyter_client KernelManager without any traitlets configuration, so
# neither `KernelManager.transport_encryption` nor `transport = "ipc"` can be set
# for them, and the notice was printed once per notebook. The kernels only listen
# on 127.0.0.1 and every message is HMAC-signed with the per-kernel key from a
# 0600 connection file, so for a local build the notice is noise. Drop exactly
# that record; every other kernel log message still reaches the build log.
import logging


class _DropUnencryptedTcpNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Kernel is running over TCP without encryption")


logging.getLogger("IPKernelApp").addFilter(_DropUnencryptedTcpNotice())
