#!/usr/bin/env python3
"""`eval_pairs.py --reuters` for the quality gate (which runs each bench/eval_NAME.py without
arguments): the hand-paired Reuters reports of 1996, each pair alone in its month."""

import sys

import eval_pairs

if __name__ == "__main__":
    sys.argv = [sys.argv[0], "--reuters", *sys.argv[1:]]
    eval_pairs.main()
