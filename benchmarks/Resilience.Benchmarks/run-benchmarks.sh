#!/usr/bin/env bash
# Runs every benchmark (ours, Polly v8 and .NET counterparts in the same run) and copies the GitHub-markdown
# reports to benchmarks/results/. Run it on a quiet machine: close other work, plug in the power.
#
# Usage: benchmarks/Resilience.Benchmarks/run-benchmarks.sh [extra BenchmarkDotNet arguments]
#   e.g. run-benchmarks.sh --filter '*Contention*'      (without --filter, every benchmark runs)
#
# Job: one launch, 3 warm-up and 5 measured iterations (a "short" job with 5 instead of 3 iterations), unless the
# arguments set any of --launchCount, --warmupCount, --iterationCount or --job themselves, e.g.
#   run-benchmarks.sh --filter '*HttpClient*' --launchCount 3 --warmupCount 5 --iterationCount 15
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${script_dir}/../.." && pwd)"
cd "${repo_root}"

artifacts="BenchmarkDotNet.Artifacts"
results="benchmarks/results"

# Start from an empty results folder so that only this run's reports are copied.
rm -rf "${artifacts}/results"

filter=(--filter '*')
job=(--launchCount 1 --warmupCount 3 --iterationCount 5)
for arg in "$@"; do
    case "${arg}" in
        --filter|-f) filter=() ;;
        --launchCount|--warmupCount|--iterationCount|--job|-j) job=() ;;
    esac
done

dotnet run -c Release --project benchmarks/Resilience.Benchmarks -- \
    "${filter[@]}" \
    "${job[@]}" \
    --artifacts "${artifacts}" \
    "$@"

mkdir -p "${results}"
shopt -s nullglob
reports=("${artifacts}"/results/*-report-github.md)
if [ "${#reports[@]}" -eq 0 ]; then
    echo "No *-report-github.md found under ${artifacts}/results" >&2
    exit 1
fi
cp "${reports[@]}" "${results}/"
echo "Copied ${#reports[@]} report(s) to ${results}/:"
printf '  %s\n' "${reports[@]##*/}"
