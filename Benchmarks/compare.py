#!/usr/bin/env python3
"""Runs nnpipe's benchmark and the peers' scripts side by side, round after round, and prints the
medians as a Markdown table with nnpipe's ratio to each peer.

    python3 Benchmarks/compare.py [--rounds 3] [--nnpipe .build/release/nnpipe] [--threads N]

The peers come from ../shared/peers (NumPy, PyTorch, JAX, scikit-learn, FANN) and run in the virtual
environment that ../shared/peers/setup.sh builds at $PEERS (default ~/nnpipe-peers); a peer that is
missing is skipped. Every round runs nnpipe and every peer once, one after the other, so they share
the machine's state: quote the ratios, not the absolute times, which drift with load.
"""
import argparse, json, os, statistics, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
peers_dir = os.path.join(os.path.dirname(root), "shared", "peers")
peers_env = os.environ.get("PEERS", os.path.expanduser("~/nnpipe-peers"))
python = os.path.join(peers_env, "venv", "bin", "python")

# (workload, peer, command, the figure to read)
PEER_RUNS = [
    ("W1", "NumPy", [python, "sine_numpy.py"], "train_s"),
    ("W1", "PyTorch", [python, "sine_torch.py"], "train_s"),
    ("W1", "JAX", [python, "sine_jax.py"], "train_s"),
    ("W1", "FANN", [os.path.join(peers_env, "sine_fann")], "train_s"),
    ("W3", "NumPy", [python, "mlp_numpy.py"], "samples_per_s"),
    ("W3", "PyTorch", [python, "mlp_torch.py"], "samples_per_s"),
    ("W3", "JAX", [python, "mlp_jax.py"], "samples_per_s"),
    ("W4", "NumPy", [python, "gemm_numpy.py"], "gflops"),
    ("W5", "scikit-learn", [python, "digits_sklearn.py"], "train_s"),
    ("W5", "PyTorch", [python, "digits_torch.py"], "train_s"),
]


def run_json(command, cwd):
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as error:
        print(f"skipped {' '.join(command)}: {error}", file=sys.stderr)
        return None
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        print(f"skipped {' '.join(command)}: status {done.returncode} {done.stderr[-300:]}",
              file=sys.stderr)
        return None
    return json.loads(lines[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--nnpipe", default=os.path.join(root, ".build", "release", "nnpipe"))
    parser.add_argument("--threads", type=int, help="nnpipe's --threads (default: all cores)")
    parser.add_argument("--only", action="append", choices=["W1", "W3", "W4", "W5"],
                        help="run only this workload (repeatable; default: W1, W3, W4 and W5)")
    options = parser.parse_args()

    ours = {}    # figure name -> [values]
    theirs = {}  # (workload, peer, figure) -> [values]
    for round_number in range(1, options.rounds + 1):
        print(f"round {round_number}/{options.rounds}", file=sys.stderr)
        workloads = options.only or ["W1", "W3", "W4", "W5"]
        command = [options.nnpipe, "bench", "--json", "--data", os.path.join(root, "Data")]
        for workload in workloads:
            command += ["--only", workload]
        if options.threads:
            command += ["--threads", str(options.threads)]
        result = run_json(command, root)
        if result:
            for workload, figures in result.items():
                for name, value in figures.items():
                    ours.setdefault((workload, name), []).append(value)
        for workload, peer, command, figure in PEER_RUNS:
            if workload not in workloads or not os.path.exists(command[0]):
                continue
            result = run_json(command, peers_dir)
            if not result:
                continue
            if figure == "gflops":
                for size, value in result["gflops"].items():
                    theirs.setdefault((workload, peer, f"gflops_{size}"), []).append(value)
            else:
                theirs.setdefault((workload, peer, figure), []).append(result[figure])
                if "test_acc" in result:
                    theirs.setdefault((workload, peer, "test_accuracy"), []).append(
                        result["test_acc"])

    median = lambda values: statistics.median(values)
    our_name = {"train_s": "train_s", "samples_per_s": "samples_per_s"}
    print(f"\nMedians of {options.rounds} interleaved rounds (nnpipe: {options.nnpipe}).\n")
    print("| workload | figure | nnpipe | peer | peer's figure | nnpipe vs peer |")
    print("|---|---|---|---|---|---|")
    for (workload, peer, figure), values in sorted(theirs.items()):
        if figure == "test_accuracy":
            continue
        mine = ours.get((workload, our_name.get(figure, figure)))
        if not mine:
            continue
        a, b = median(mine), median(values)
        lower_is_better = figure == "train_s"
        ratio = b / a if lower_is_better else a / b
        print(f"| {workload} | {figure} | {a:.4g} | {peer} | {b:.4g} | {ratio:.2f}× "
              f"{'faster' if ratio >= 1 else 'slower'} |")
    extras = [("W1", "train_s_double"), ("W1", "final_loss"), ("W3", "peak_rss_mb"),
              ("W3", "data_mb"), ("W5", "test_accuracy")]
    for key in extras:
        if key in ours:
            print(f"| {key[0]} | {key[1]} | {median(ours[key]):.4g} | | | |")
    for (workload, peer, figure), values in sorted(theirs.items()):
        if figure == "test_accuracy":
            print(f"| {workload} | test_accuracy | | {peer} | {median(values):.4g} | |")


if __name__ == "__main__":
    main()
