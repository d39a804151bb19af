from disclose.entry import run

run()
