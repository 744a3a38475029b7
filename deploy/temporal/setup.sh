#!/bin/sh
# Prepares a Temporal cluster for guestflow, in two steps that both
# docker-compose.yml (in temporalio/admin-tools) and ./scripts/production-shape
# run, with the variables guestflow.yaml reads:
#
#   setup.sh schema      create the two databases and migrate them to the
#                        newest schema (safe to run again: it only migrates)
#   setup.sh namespace   wait for the frontend, then create the namespace
#                        (an existing one is left alone)
#
# POSTGRES_SEEDS, DB_PORT, POSTGRES_USER, POSTGRES_PWD, DBNAME and
# VISIBILITY_DBNAME as in guestflow.yaml; SCHEMA_DIR holds the postgresql/v12
# schema of the server's version; TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and
# NAMESPACE_RETENTION for the namespace; TEMPORAL_SQL_TOOL and TEMPORAL_CLI
# name the tools where they are not on PATH.
set -eu

sql_tool=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}
cli=${TEMPORAL_CLI:-temporal}
schema_dir=${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}

migrate() { # database, schema subdirectory
  set -- "$1" "$schema_dir/$2/versioned"
  # The password travels in SQL_PASSWORD, never on a command line.
  export SQL_PASSWORD="${POSTGRES_PWD:-}"
  tool() {
    "$sql_tool" --plugin postgres12 --ep "${POSTGRES_SEEDS:-postgresql}" -p "${DB_PORT:-5432}" \
      -u "${POSTGRES_USER:-temporal}" --db "$db" "$@"
  }
  db=$1
  tool create-database 2>/dev/null || echo "database $db exists"
  tool setup-schema -v 0.0 2>/dev/null || echo "database $db has a schema version"
  tool update-schema -d "$2"
}

case "${1:-}" in
schema)
  migrate "${DBNAME:-temporal}" temporal
  migrate "${VISIBILITY_DBNAME:-temporal_visibility}" visibility
  ;;
namespace)
  address=${TEMPORAL_ADDRESS:-temporal:7233}
  ns=${TEMPORAL_NAMESPACE:-default}
  tries=0
  until "$cli" operator cluster health --address "$address" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -ge 120 ]; then echo "Temporal at $address is not serving" >&2; exit 1; fi
    sleep 1
  done
  if "$cli" operator namespace describe --namespace "$ns" --address "$address" >/dev/null 2>&1; then
    echo "namespace $ns exists"
  else
    "$cli" operator namespace create --namespace "$ns" --retention "${NAMESPACE_RETENTION:-168h}" --address "$address"
  fi
  # The frontend learns of a new namespace when its cache refreshes (about
  # 10 s): until then the namespace's API answers "not found", so what runs
  # next (starter setup registering search attributes) would fail.
  tries=0
  until "$cli" operator search-attribute list --namespace "$ns" --address "$address" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then echo "namespace $ns is not served" >&2; exit 1; fi
    sleep 1
  done
  ;;
*)
  echo "usage: setup.sh schema|namespace" >&2
  exit 2
  ;;
esac
