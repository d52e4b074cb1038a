# The two commands of the README: `make run` and `make test`.

SWIFT ?= swift

# What ships is what is tested: one optimised build configuration for the binary `make run` starts and for the suites
# `make test` runs (testability on, so the suites can import internals; the executable is the same one either way).
RELEASE := -c release -Xswiftc -enable-testing

.PHONY: run test build sanitize bootstrap

# Installs what is missing, builds for release, and runs Attest's embedded default (`attest demo`): a private
# PostgreSQL under .attest/ that keeps its data between runs, the sample certificates, their URLs and files.
run: build
	.build/release/attest demo

# Installs what is missing, builds the release configuration with its tests, and runs the whole suite against a
# private PostgreSQL. Integration suites fail instead of skipping when something they need is missing. The leak
# checks run last, in a process of their own: they read the process's resident memory, which suites running beside
# them would move. Then AddressSanitizer runs over the concurrent parts (scripts/sanitize).
test: bootstrap
	$(SWIFT) build $(RELEASE) --build-tests
	REQUIRE_INTEGRATION=1 scripts/with-postgres sh -c \
		'$(SWIFT) test $(RELEASE) --skip-build --skip LeakTests && $(SWIFT) test $(RELEASE) --skip-build --filter LeakTests'
	scripts/sanitize address

# The release binary, .build/release/attest: what `make run` starts and `make test` tests.
build: bootstrap
	$(SWIFT) build $(RELEASE) --product attest

sanitize: bootstrap
	scripts/sanitize address

bootstrap:
	scripts/bootstrap
