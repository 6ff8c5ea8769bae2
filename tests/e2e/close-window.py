"""Asks the X window named by argv[1] to close, as a window manager does when its close button
is clicked: a WM_DELETE_WINDOW client message (the test's display has no window manager)."""
import sys

from Xlib import X, display, protocol

screen = display.Display()
root = screen.screen().root
protocols = screen.intern_atom("WM_PROTOCOLS")
delete = screen.intern_atom("WM_DELETE_WINDOW")


def windows(window):
    yield window
    for child in window.query_tree().children:
        yield from windows(child)


named = [w for w in windows(root) if w.get_wm_name() == sys.argv[1] and delete in (w.get_wm_protocols() or [])]
if not named:
    sys.exit(f"no window named {sys.argv[1]!r} that takes WM_DELETE_WINDOW")
for window in named:
    message = protocol.event.ClientMessage(window=window, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
    window.send_event(message, event_mask=X.NoEventMask)
screen.flush()
