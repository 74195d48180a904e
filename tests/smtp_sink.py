"""A real SMTP server for the notification tests: stores every received message, decoded, as a
file in OUTDIR. Usage: smtp_sink.py PORT OUTDIR. Prints "ready" once it accepts connections."""
import os
import sys
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, outdir):
        self.outdir = outdir

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        parts = [f"{k}: {v}" for k, v in msg.items()]
        body = msg.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        name = os.path.join(self.outdir, f"{time.time_ns()}.eml")
        with open(name + ".tmp", "w", encoding="utf-8") as f:
            f.write("\n".join(parts) + "\n\n" + text)
        os.rename(name + ".tmp", name)
        return "250 Message accepted"


def main():
    port, outdir = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(outdir), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
