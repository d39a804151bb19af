from disclose.cli import run

run()
