#!/bin/sh
# Export what a payment run wrote, sorted and without wall-clock columns, so that two runs
# of benchmarks/payment_run.py (before and after a change) can be compared byte for byte:
#
#   benchmarks/export_ledger.sh DBNAME OUTDIR && md5sum OUTDIR/*.csv
#   diff -r BEFORE_DIR AFTER_DIR
set -eu
db=$1
out=$2
mkdir -p "$out"
for table in payments_payment payments_deductionprocessing payments_agencyaccountentry \
    deductions_deduction cases_liability; do
    columns=$(psql -h 127.0.0.1 -U postgres -d "$db" -Atc "
        SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
        FROM information_schema.columns
        WHERE table_name = '$table'
          AND data_type NOT IN ('timestamp with time zone', 'timestamp without time zone')")
    psql -h 127.0.0.1 -U postgres -d "$db" -c \
        "\\copy (SELECT $columns FROM $table ORDER BY id) TO '$out/$table.csv' WITH CSV HEADER"
done
