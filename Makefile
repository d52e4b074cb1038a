# The two commands of the README: `make run` and `make test`.

SWIFT ?= swift

.PHONY: run test bootstrap

# Installs what is missing, builds for release, and runs Attest's embedded default (`attest demo`): a private
# PostgreSQL under .attest/ that keeps its data between runs, the sample certificates, their URLs and files.
run: bootstrap
	$(SWIFT) build -c release
	.build/release/attest demo

# Installs what is missing, builds, and runs the whole suite against a private PostgreSQL.
# Integration suites fail instead of skipping when something they need is missing. The leak checks run last, in a
# process of their own: they read the process's resident memory, which suites running beside them would move.
test: bootstrap
	$(SWIFT) build --build-tests
	REQUIRE_INTEGRATION=1 scripts/with-postgres sh -c \
		'$(SWIFT) test --skip-build --skip LeakTests && $(SWIFT) test --skip-build --filter LeakTests'

bootstrap:
	scripts/bootstrap
