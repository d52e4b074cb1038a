# The two commands of the README: `make run` and `make test`.

SWIFT ?= swift

.PHONY: run test build bootstrap

# Installs what is missing, builds, and runs Attest's embedded default against a private PostgreSQL.
run: bootstrap build
	scripts/with-postgres scripts/demo

# Installs what is missing, builds, and runs the whole suite against a private PostgreSQL.
# Integration suites fail instead of skipping when something they need is missing.
test: bootstrap
	$(SWIFT) build --build-tests
	REQUIRE_INTEGRATION=1 scripts/with-postgres $(SWIFT) test --skip-build

build:
	$(SWIFT) build

bootstrap:
	scripts/bootstrap
