# labdash: `make run` serves the dashboard on the built-in data; `make test`
# runs every test (unit, integration, fuzz smoke, browser, PostgreSQL). Both
# install what they need: npm packages from package-lock.json, for the browser
# tests Debian's chromium, and for the PostgreSQL tests Debian's postgresql
# (scripts/with-postgres.sh starts a private server unless
# LABDASH_TEST_POSTGRES names one).

GO       ?= go
NPM      ?= npm
BIN      := bin/labdash
VENDOR   := web/static/vendor
CHROMIUM ?= /usr/bin/chromium
FUZZTIME ?= 5s
# A guard against a hung test, not a time limit: a quiet 2-core machine runs
# the whole suite in about 1.5 minutes, but one running a second suite
# beside it (or a benchmark) took 6 minutes for cmd/labdash alone when its
# browser tests still opened a window per page.
TEST_TIMEOUT ?= 15m
# Fuzz targets run briefly on every `make test` (package:Target).
FUZZ_TARGETS ?= $(shell grep -ho '^func Fuzz[A-Za-z0-9]*' ingest/format/*_test.go 2>/dev/null | sed 's/func //')

.PHONY: all build run test unit fuzz browser-deps assets clean bench load builtin

all: build

# No package needs its install script: esbuild finds its binary in the
# platform package npm installs beside it (@esbuild/linux-x64).
node_modules/.package-lock.json: package.json package-lock.json
	$(NPM) ci --include=dev --no-audit --no-fund --ignore-scripts
	@touch $@

# ECharts comes from npm (pinned in package-lock.json) and is embedded in the
# binary, which serves it itself: no page loads anything from another host.
# esbuild (also pinned there) bundles only the chart types and components
# the pages use (web/bundles/echarts.js), and the map series apart
# (web/bundles/echarts-map.js), which only the places page loads; the code
# both need goes into a chunk named by its content (vendor/chunks/).
ECHARTS_ENTRIES := web/bundles/echarts.js web/bundles/echarts-map.js

$(VENDOR)/echarts.js: $(ECHARTS_ENTRIES) node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	rm -rf $(VENDOR)/chunks $(VENDOR)/echarts*
	node_modules/.bin/esbuild $(ECHARTS_ENTRIES) --bundle --format=esm --splitting --minify \
		--target=es2020 --define:process.env.NODE_ENV='"production"' --legal-comments=eof \
		--outdir=$(VENDOR) --chunk-names='chunks/[hash]' --log-level=warning
	cp node_modules/echarts/LICENSE $(VENDOR)/echarts.LICENSE.txt
	cp node_modules/echarts/NOTICE $(VENDOR)/echarts.NOTICE.txt
	cp node_modules/zrender/LICENSE $(VENDOR)/zrender.LICENSE.txt

# Our own scripts and stylesheets, minified by esbuild into web/static/vendor
# (built, not committed) and precompressed with the bundles there: pages
# load these, a third of the commented sources' weight over the wire;
# web/static keeps the sources. Each starts with its source's sha256, which
# a test of web compares with the source, so a stale build cannot pass.
OWN_ASSETS := web/static/app.js web/static/banner.js web/static/app.css web/static/handout.css

$(VENDOR)/app.js: $(OWN_ASSETS) node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	@for f in $(OWN_ASSETS); do \
		echo "minify $$f"; \
		node_modules/.bin/esbuild $$f --minify --target=es2020 --log-level=warning \
			--banner:$${f##*.}="/* built from $$(basename $$f) sha256:$$(sha256sum $$f | cut -c1-64) */" \
			--outfile=$(VENDOR)/$$(basename $$f) || exit 1; \
	done

# The places page's map: U.S. state shapes from the Census Bureau's
# cartographic boundaries, already projected (us-atlas, ISC), and
# topojson-client (ISC), which turns them into GeoJSON in the browser. Both
# are served by the binary and loaded only by pages with a map.
$(VENDOR)/states-albers-10m.json: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/us-atlas/states-albers-10m.json $@
	cp node_modules/us-atlas/LICENSE $(VENDOR)/us-atlas.LICENSE.txt

$(VENDOR)/topojson-client.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/topojson-client/dist/topojson-client.min.js $@
	cp node_modules/topojson-client/LICENSE $(VENDOR)/topojson-client.LICENSE.txt

# Gzip and brotli forms of the vendored files at their best compression,
# made once here rather than at every server start.
$(VENDOR)/.precompressed: $(VENDOR)/echarts.js $(VENDOR)/app.js $(VENDOR)/states-albers-10m.json $(VENDOR)/topojson-client.min.js web/bundles/precompress.mjs
	node web/bundles/precompress.mjs $(VENDOR)
	@touch $@

assets: $(VENDOR)/.precompressed

build: assets
	$(GO) build -trimpath -ldflags "-s -w -X main.version=$$(git describe --always --dirty 2>/dev/null || echo dev)" -o $(BIN) ./cmd/labdash

run: build
	./$(BIN) serve

# Debian's chromium drives the browser tests (chromedp); a browser downloaded
# by a test tool cannot be had here.
browser-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

unit: assets
	$(GO) vet ./...
	scripts/with-postgres.sh $(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...

# scripts/fuzz.sh passes over the one spurious ending of Go 1.26's fuzzing
# ("context deadline exceeded" with no failing input, go.dev/issue/75804).
fuzz: assets
	@GO=$(GO) scripts/fuzz.sh $(FUZZTIME) $(FUZZ_TARGETS)

test: assets browser-deps
	$(GO) vet ./...
	LABDASH_CHROMIUM=$(CHROMIUM) scripts/with-postgres.sh $(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...
	@$(MAKE) --no-print-directory fuzz

# The built-in snapshot: the committed BLS workbooks in data/builtin/bls/ read
# by the ingest formats into data/builtin/snapshot.jsonl, which the binary
# embeds. Run it after changing a workbook, its list or a format; the test
# of data/builtin/generate fails until the file is regenerated.
builtin:
	$(GO) generate ./data/builtin

# Every package's benchmarks, then issue 11's ingest targets, each against
# its baseline measured in the same run: labdash ingest of the OEWS
# time-series pair against grep -c over the same files (the ratio and peak
# RSS are printed as x-grep and peak-RSS-MB, and in a sentence), and of a
# 59 MB OEWS workbook (peak RSS). They build the command and generate their
# files (about 1.3 GB and 60 MB in TMPDIR) first.
INGEST_TARGETS := IngestOEPair|IngestLargeWorkbook
bench: assets
	scripts/with-postgres.sh $(GO) test -run '^$$' -bench . -skip '$(INGEST_TARGETS)' -benchmem -timeout 30m ./...
	scripts/with-postgres.sh $(GO) test ./ingest -run '^$$' -bench 'IngestOEPair' -benchtime 5x -timeout 30m
	$(GO) test ./ingest -run '^$$' -bench 'IngestLargeWorkbook' -benchtime 1x -timeout 30m

# Serving speed on loopback: a cached page against a []byte baseline, and
# while snapshots are published (32 connections, 20 s each).
load: assets
	$(GO) run ./cmd/labdash-load -conns 32 -duration 20s -during-publish

clean:
	rm -rf bin $(VENDOR) node_modules
