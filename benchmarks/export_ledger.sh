#!/bin/sh
# Export what a payment run wrote, sorted and without wall-clock columns, so that two runs
# of benchmarks/payment_run.py (before and after a change) can be compared byte for byte:
#
#   benchmarks/export_ledger.sh DBNAME OUTDIR && md5sum OUTDIR/*.csv
#   diff -r BEFORE_DIR AFTER_DIR
#
# Ledger rows are exported without their own ids, and a processing row or agency entry
# names its payment by the payment's natural key (case, nominee, kind, period, deduction)
# instead of its id: with several workers, which chunk draws which ids from the sequences
# depends on timing, not on the code. Deductions and liabilities keep their ids (the
# benchmark's generator makes them in one process, in order).
set -eu
db=$1
out=$2
mkdir -p "$out"
columns() {  # $1 table, $2 columns to leave out besides timestamps (SQL list of names)
    psql -h 127.0.0.1 -U postgres -d "$db" -Atc "
        SELECT string_agg('x.' || quote_ident(column_name), ', ' ORDER BY ordinal_position)
        FROM information_schema.columns
        WHERE table_name = '$1' AND column_name NOT IN ($2)
          AND data_type NOT IN ('timestamp with time zone', 'timestamp without time zone')"
}
payment_key="p.case_id AS payment_case, p.nominee_id AS payment_nominee, p.kind AS payment_kind,
    p.period_start AS payment_period, p.deduction_id AS payment_deduction"
export_query() {  # $1 file name, $2 query
    psql -h 127.0.0.1 -U postgres -d "$db" -c "\\copy ($2) TO '$out/$1.csv' WITH CSV HEADER"
}
c=$(columns payments_payment "'id'")
export_query payments_payment "SELECT $c FROM payments_payment x ORDER BY $(echo "$c" | sed 's/x\.//g')"
for table in payments_deductionprocessing payments_agencyaccountentry; do
    c=$(columns $table "'id', 'payment_id'")
    export_query $table "SELECT $c, $payment_key FROM $table x
        LEFT JOIN payments_payment p ON p.id = x.payment_id
        ORDER BY x.deduction_id, x.nominee_id, x.period_start"
done
for table in deductions_deduction cases_liability; do
    export_query $table "SELECT $(columns $table "''") FROM $table x ORDER BY x.id"
done
