# A TCP port on loopback that never completes a handshake: it listens with a backlog of 0 and
# never accepts, and its accept queue is filled at once, so the kernel drops every further SYN.
# To a client this looks like a firewalled or unroutable host: connect() just hangs. Loopback
# only; exits on its own after a minute, or when its stdin closes.
import socket
import sys
import threading
import time

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("127.0.0.1", 0))
server.listen(0)
port = server.getsockname()[1]

fillers = []
for _ in range(4):
    filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    filler.setblocking(False)
    try:
        filler.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    fillers.append(filler)
time.sleep(0.2)

print(port, flush=True)

def wait_for_stdin_close():
    sys.stdin.read()
    server.close()
    sys.exit(0)


watcher = threading.Thread(target=wait_for_stdin_close, daemon=True)
watcher.start()
watcher.join(60)
