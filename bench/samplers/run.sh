#!/usr/bin/env bash
# Sampler quality, Podium against Optuna (Debian's python3-optuna), 50 seeds x 100 trials on five problems:
# bench/samplers/run.sh [SEEDS] [TRIALS]. Optuna's runs go to bench/out/optuna-samplers.csv, then one table of both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
seeds=${1:-50}
trials=${2:-100}
mkdir -p bench/out
/usr/bin/python3 bench/samplers/optuna_bench.py "$seeds" "$trials" > bench/out/optuna-samplers.csv
dotnet run -c Release --project bench/SamplerBench -- "$seeds" "$trials" bench/out/optuna-samplers.csv
