# Entry points: `make run` and `make test` do all set-up on a fresh Debian 12 machine.
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
JOBS       ?= 2
DEMO_DB    ?= $(BUILD)/demo.db

.PHONY: all deps configure build run test test-plain test-asan test-tsan bench format clean

all: build

deps:
	@sh scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BUILD)/knead --db $(DEMO_DB) demo
	$(BUILD)/knead --db $(DEMO_DB) diary --last 7
	$(BUILD)/knead --db $(DEMO_DB) intake --answers scripts/demo-intake.json
	$(BUILD)/knead --db $(DEMO_DB) therapist add --name "Dana Reyes" --license LMT-20417 \
		--board-certified --specialty headache --specialty "trigger point therapy"
	$(BUILD)/knead --db $(DEMO_DB) therapist match
	$(BUILD)/knead --db $(DEMO_DB) brief
	$(BUILD)/knead --db $(DEMO_DB) plan --minutes 60 --therapist 1 --save
	$(BUILD)/knead --db $(DEMO_DB) insights

test: test-plain test-asan test-tsan

test-plain: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DKNEAD_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# The tests with threads, under ThreadSanitizer: any report fails them.
test-tsan: deps
	@CC=clang cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKNEAD_TSAN=ON >/dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS) --target test_threads test_global test_zone
	@TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
		ctest --test-dir $(TSAN_BUILD) --output-on-failure -R '^test_(threads|global|zone)$$'

bench: build
	@sh bench/run.sh $(BUILD)

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD)
