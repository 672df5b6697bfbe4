# The two commands a new machine needs: `make demo` and `make test`. Everything else they build on demand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
SBT := dev/sbt
VERSION := $(shell cat VERSION)
# One engine jar per Scala line, both in the one wheel: 2.13 for Spark 4, 2.12 for Spark 3.5.
SCALA_BINARIES := 2.13 2.12
JARS := $(foreach s,$(SCALA_BINARIES),jvm/target/scala-$(s)/sparkmerge_$(s)-$(VERSION).jar)
PACKAGED_JARS := $(foreach s,$(SCALA_BINARIES),python/sparkmerge/jars/sparkmerge_$(s)-$(VERSION).jar)
# The pytest suite runs again on Spark 3.5, in a virtual environment of its own.
VENV35 := .venv-spark35
# ruff and mypy, in a small virtual environment of their own: linting needs no pyspark.
LINT_VENV := .venv-lint
WHEEL := dist/sparkmerge-$(VERSION)-py3-none-any.whl
PYTHON_SOURCES := $(shell find python/sparkmerge -name '*.py') python/sparkmerge/py.typed pyproject.toml VERSION README.md
# Fresh virtual environments the built wheel is installed into, one per Spark line.
WHEEL_SMOKE := .cache/wheel-smoke
SCALA_SOURCES := $(shell find jvm/src/main -type f) build.sbt VERSION project/build.properties
# The test classpath (engine, Spark, Hadoop's MiniDFSCluster, S3A) that dev/mini-hdfs runs its HDFS with, and
# the one of the Spark 3.5 line, whose S3A (Hadoop 3.3, AWS SDK v1) the pytest suite puts on that Spark.
TEST_CLASSPATH := jvm/target/test-classpath.txt
TEST_CLASSPATH_212 := jvm/target/test-classpath-2.12.txt
TEST_SOURCES := $(shell find jvm/src/test -name '*.scala')

# pip's downloads are kept in the checkout so that a rerun (and CI on the same machine) reuses them.
export PIP_CACHE_DIR := $(CURDIR)/.cache/pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: build dist demo test test-jvm test-python test-python35 test-python-lines test-wheel lint format clean mini-hdfs mini-hdfs-stop bench bench-s3 bench-gcs bench-azure bench-connect bench-partitions bench-formats

build: $(PACKAGED_JARS) $(VENV)/.installed

# One sbt run cross-builds both jars (`&:`: one recipe makes the whole group).
$(JARS) &: $(SCALA_SOURCES)
	$(SBT) +package </dev/null
	@touch $(JARS)

$(PACKAGED_JARS) &: $(JARS)
	mkdir -p python/sparkmerge/jars
	rm -f python/sparkmerge/jars/*.jar
	cp $(JARS) python/sparkmerge/jars/

# The wheel, with both jars in it. setuptools' build/ is removed first: it would carry a stale jar along.
dist: $(WHEEL)

$(WHEEL): $(PACKAGED_JARS) $(PYTHON_SOURCES) | $(VENV)/.installed
	rm -rf build dist/sparkmerge-*.whl
	$(VENV)/bin/pip wheel -q --no-deps -w dist .
	rm -rf build

$(VENV)/.installed: pyproject.toml requirements-dev.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	$(VENV)/bin/pip install -q --no-deps -e .
	touch $@

$(VENV35)/.installed: pyproject.toml requirements-spark35.txt
	test -x $(VENV35)/bin/python || $(PYTHON) -m venv $(VENV35)
	$(VENV35)/bin/pip install -q --upgrade pip
	$(VENV35)/bin/pip install -q -r requirements-spark35.txt
	$(VENV35)/bin/pip install -q --no-deps -e .
	touch $@

$(LINT_VENV)/.installed: requirements-lint.txt
	test -x $(LINT_VENV)/bin/python || $(PYTHON) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/pip install -q --upgrade pip
	$(LINT_VENV)/bin/pip install -q -r requirements-lint.txt
	touch $@

$(TEST_CLASSPATH): $(SCALA_SOURCES) $(TEST_SOURCES)
	@mkdir -p $(@D)
	$(SBT) "export sparkmerge/Test/fullClasspath" </dev/null >$@.log || { tail -n 30 $@.log; exit 1; }
	tail -n 1 $@.log | grep test-classes >$@.tmp
	mv $@.tmp $@

$(TEST_CLASSPATH_212): $(SCALA_SOURCES) $(TEST_SOURCES)
	@mkdir -p $(@D)
	$(SBT) "++2.12" "export sparkmerge/Test/fullClasspath" </dev/null >$@.log || { tail -n 30 $@.log; exit 1; }
	tail -n 1 $@.log | grep test-classes >$@.tmp
	mv $@.tmp $@

# A real HDFS on 127.0.0.1 in the background (state under .cache/mini-hdfs/); prints its URI last.
mini-hdfs: $(TEST_CLASSPATH)
	@dev/mini-hdfs start

mini-hdfs-stop:
	@dev/mini-hdfs stop

# `make demo HDFS=1` writes to a mini HDFS, started for it and stopped after: the merge is an HDFS concat.
# `make demo S3=1` writes to a loopback S3 server through S3A, started and stopped by the demo: server-side.
# `make demo GCS=1` writes to a loopback GCS server through Google's connector (Spark 4): the store composes.
# `make demo AZURE=1` writes to Azurite through Hadoop's ABFS connector (Spark 4): the store stages the blocks.
demo: build $(if $(filter 1,$(HDFS) $(S3) $(GCS) $(AZURE)),$(TEST_CLASSPATH))
ifeq ($(GCS),1)
	$(VENV)/bin/python demo/recommendations.py --gcs $(DEMO_ARGS)
else ifeq ($(AZURE),1)
	$(VENV)/bin/python demo/recommendations.py --azure $(DEMO_ARGS)
else ifeq ($(S3),1)
	$(VENV)/bin/python demo/recommendations.py --s3 $(DEMO_ARGS)
else ifeq ($(HDFS),1)
	uri=$$(dev/mini-hdfs start) && trap 'dev/mini-hdfs stop' EXIT && \
	  HADOOP_CONF_DIR=$(CURDIR)/.cache/mini-hdfs/conf \
	  $(VENV)/bin/python demo/recommendations.py --out "$$uri/demo/recommendations.csv" $(DEMO_ARGS)
else
	$(VENV)/bin/python demo/recommendations.py $(DEMO_ARGS)
endif

test: test-jvm test-python-lines test-wheel

# The ScalaTest suites on both lines: each against its own Spark and Hadoop (MiniDFSCluster included).
test-jvm: $(VENV)/.installed
	SPARKMERGE_PYTHON=$(CURDIR)/$(VENV)/bin/python $(SBT) +test </dev/null

test-python: build $(TEST_CLASSPATH)
	$(VENV)/bin/python -m pytest tests

test-python35: build $(VENV35)/.installed $(TEST_CLASSPATH) $(TEST_CLASSPATH_212)
	$(VENV35)/bin/python -m pytest tests

# Both lines' suites at once: each leaves the machine's cores idle most of its time (JVMs starting, servers and
# drills waiting), so together they take little more than the longer one. Spark 3.5's report follows Spark 4's.
test-python-lines: build $(VENV35)/.installed $(TEST_CLASSPATH) $(TEST_CLASSPATH_212)
	@log=$$(mktemp) && \
	  { $(VENV35)/bin/python -m pytest tests -p no:cacheprovider --basetemp=$(CURDIR)/.cache/pytest-spark35 \
	      >$$log 2>&1 & } && line35=$$! && \
	  { $(VENV)/bin/python -m pytest tests; line4=$$?; } ; \
	  wait $$line35; line35=$$?; \
	  echo "== the suite on Spark 3.5 ==" && cat $$log && rm -f $$log && \
	  echo "pytest exit codes: Spark 4 $$line4, Spark 3.5 $$line35" && test $$line4 -eq 0 -a $$line35 -eq 0

# The built wheel in a clean virtual environment per Spark line (pyspark from pip's cache), run by plain python.
test-wheel: $(WHEEL)
	for requirements in requirements-dev.txt requirements-spark35.txt; do \
	  pyspark=$$(grep '^pyspark==' $$requirements) && venv=$(WHEEL_SMOKE)/$${pyspark#*==} && \
	  rm -rf $$venv && $(PYTHON) -m venv $$venv && \
	  $$venv/bin/pip install -q $(WHEEL) $$pyspark && \
	  (cd $(WHEEL_SMOKE) && $(CURDIR)/$$venv/bin/python $(CURDIR)/tests/wheel_smoke.py) || exit 1; \
	done

# The README's figures: sparkmerge against coalesce(1), repartition(1) and cat, in one run (BENCH_ARGS to size it).
bench: build $(TEST_CLASSPATH)
	$(VENV)/bin/pip install -q -r bench/requirements.txt
	$(VENV)/bin/python bench/run.py $(BENCH_ARGS)

# write_single through a Spark Connect server against a classic session, on the same data.
bench-connect: build
	$(VENV)/bin/pip install -q -r bench/requirements.txt
	$(VENV)/bin/python bench/connect.py $(BENCH_ARGS)

# One file per partition value (1 GiB over 1,000 values) against Spark's partitionBy, repartition and a loop.
bench-partitions: build
	$(VENV)/bin/pip install -q -r bench/requirements.txt
	$(VENV)/bin/python bench/partitions.py $(BENCH_ARGS)

# One Parquet file: write_single(format="parquet") against coalesce(1), the merge against cat, DuckDB and pyarrow;
# then Parquet and ORC at one size and four times it: the concat on the mini HDFS, the peak memory, ORC against cat.
bench-formats: build $(TEST_CLASSPATH)
	$(VENV)/bin/pip install -q -r bench/requirements.txt
	$(VENV)/bin/python bench/formats.py $(BENCH_ARGS)
	$(VENV)/bin/python bench/formats_scale.py $(SCALE_ARGS)

# S3 on a loopback server: the store's own copies against the copy through the JVM, and write_single against
# coalesce(1), all to s3a://, on s3proxy (bench/results/s3-s3proxy.md; BENCH_ARGS="--server moto" for moto).
bench-s3: build $(TEST_CLASSPATH)
	$(VENV)/bin/pip install -q -r bench/requirements.txt
	$(VENV)/bin/python bench/s3.py $(BENCH_ARGS)

# GCS on the loopback server (dev/gcs-server) through Google's connector: the store's composes against the copy
# through the JVM, write_single against coalesce(1), and the bytes through the driver (bench/results/gcs-fake.md).
bench-gcs: build $(TEST_CLASSPATH)
	$(VENV)/bin/pip install -q -r bench/requirements.txt
	$(VENV)/bin/python bench/gcs.py $(BENCH_ARGS)

# Azure on Azurite through Hadoop's ABFS connector: the blocks the store stages from the parts against the copy
# through the JVM, write_single against coalesce(1), and the bytes through the driver (bench/results/azurite.md).
bench-azure: build $(TEST_CLASSPATH)
	$(VENV)/bin/pip install -q -r bench/requirements.txt
	$(VENV)/bin/python bench/azure.py $(BENCH_ARGS)

# scalafmt, the Scala compiler's lint (build.sbt makes its warnings errors), ruff and mypy (strict, on the
# package; its settings in pyproject.toml): CI fails on any of them; `make format` fixes what scalafmt and ruff find.
lint: $(LINT_VENV)/.installed
	$(SBT) scalafmtCheckAll scalafmtSbtCheck "++2.12" scalafmtCheck +Test/compile </dev/null
	$(LINT_VENV)/bin/ruff check python tests demo bench dev
	$(LINT_VENV)/bin/ruff format --check python tests demo bench dev
	$(LINT_VENV)/bin/mypy

format: $(LINT_VENV)/.installed
	$(SBT) scalafmtAll scalafmtSbt "++2.12" scalafmt </dev/null
	$(LINT_VENV)/bin/ruff check --fix python tests demo bench dev
	$(LINT_VENV)/bin/ruff format python tests demo bench dev

clean:
	rm -rf jvm/target project/target $(VENV) $(VENV35) $(LINT_VENV) python/sparkmerge/jars/*.jar out build dist $(WHEEL_SMOKE)
