# xietong — the two commands: `make run` and `make test`.
SHELL := /bin/bash
BUILD ?= build
JOBS ?= $(shell nproc)
DB ?= sqlite:var/xietong.db
DEMO_PASSWORD ?= Demo\#2026
LISTEN ?= 127.0.0.1:8080
XT := $(BUILD)/src/cli/xietong

.PHONY: all bootstrap configure build run test test-unit test-http test-browser bench soak clean

all: build

bootstrap:
	@bash scripts/bootstrap

configure: bootstrap
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# Build, migrate, load the demo county (once), and serve on http://127.0.0.1:8080.
run: build
	@mkdir -p var
	@$(XT) migrate --db $(DB)
	@if [ ! -f var/.demo-loaded ]; then $(XT) demo load --db $(DB) --password '$(DEMO_PASSWORD)' && touch var/.demo-loaded; \
	  else echo "演示数据已载入（删除 var/ 可重新开始）。演示账号：admin、coordinator.staff、xincheng.officer、xincheng.leader、liuzu.officer、scjg.officer、scjg.leader …，密码 $(DEMO_PASSWORD)"; fi
	@echo "打开 http://$(LISTEN) ，用上面的任一账号和密码 $(DEMO_PASSWORD) 登录"
	@exec $(XT) serve --db $(DB) --listen $(LISTEN) --web-root web/dist

# Every suite: unit (C++), HTTP integration (real binary), browser (Chromium).
test: build
	@bash scripts/test

# Benchmarks (not part of make test). Numbers and commands: bench/README.md.
# The load benchmark takes BENCH_SCALE (1.0 = 1,000,000 items), BENCH_DURATION (30s),
# BENCH_CONNECTIONS (64), BENCH_BACKENDS ("sqlite postgres"), BENCH_OPS; e.g.
# BENCH_SCALE=0.01 BENCH_DURATION=5s make bench
bench: build
	@$(BUILD)/bench/calendar_benchmark --benchmark_min_time=0.5
	@BUILD=$(BUILD) bash bench/run.sh

# Crash and fault tests (not part of make test; long): libFuzzer targets with ASan/UBSan
# (FUZZ_SECONDS, default 600 in all), the kill -9 suite on both backends (KILL_ITERATIONS, 100)
# and the RSS soak (SOAK_MINUTES, 60). SOAK_PARTS selects, e.g. SOAK_PARTS="fuzz" make soak.
soak: configure
	@BUILD=$(BUILD) bash scripts/soak

clean:
	rm -rf $(BUILD)
