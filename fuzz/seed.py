"""Write a seed corpus for the parity fuzz target from the test fixtures."""
import hashlib, os, re

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "corpus", "parity")
os.makedirs(out, exist_ok=True)
fixtures = os.path.join(here, "..", "tests", "fixtures")
seeds = []
text = open(os.path.join(fixtures, "real-text.txt"), encoding="utf-8").read()
for block in text.split("\n-----\n"):
    seeds.append(block)
    seeds.extend(line for line in block.split("\n") if line)
for line in open(os.path.join(fixtures, "regressions.txt"), encoding="utf-8"):
    line = line.rstrip("\n")
    if line and not line.startswith("#"):
        seeds.append(re.sub(r"\\u\{([0-9A-Fa-f]+)\}", lambda m: chr(int(m.group(1), 16)),
                            line.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t")))
for s in seeds:
    b = s.encode("utf-8")[:512]
    with open(os.path.join(out, hashlib.sha1(b).hexdigest()), "wb") as f:
        f.write(b)
print(f"{len(seeds)} seeds in {out}")
