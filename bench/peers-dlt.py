"""dlt as bench/peers runs it: one table from PostgreSQL or MariaDB into PostgreSQL, replacing it.

Uses dlt's fastest documented settings for a database-to-PostgreSQL copy: the sql_database source with the
ConnectorX backend (Arrow tables, read in Rust, streamed in batches so memory stays bounded), and the
postgres destination loading Parquet through ADBC's COPY (its "fast loading with arrow tables" path).

  python peers-dlt.py --source postgresql://postgres@127.0.0.1:5432/src --table bench_rows \
      --destination postgresql://postgres@127.0.0.1:5432/dst --work DIR
"""

import argparse
import os
import sys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--destination", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--format", default="parquet")
    parser.add_argument("--batch", type=int, default=200_000)
    args = parser.parse_args()

    # dlt reads its settings from the environment: keep its state and files in the run's scratch directory,
    # and run its normalize and load stages with as many workers as the machine has cores
    cores = str(os.cpu_count() or 2)
    os.environ.setdefault("NORMALIZE__WORKERS", cores)
    os.environ.setdefault("LOAD__WORKERS", cores)
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "WARNING")
    os.environ["DLT_DATA_DIR"] = os.path.join(args.work, "data")

    import dlt
    from dlt.sources.sql_database import sql_table

    source_url = args.source
    # SQLAlchemy (which dlt reflects the table with) wants the installed driver named in the URL; ConnectorX
    # takes the plain form
    sqlalchemy_url = source_url.replace("mysql://", "mysql+pymysql://", 1).replace(
        "postgresql://", "postgresql+psycopg2://", 1
    )
    table = sql_table(
        credentials=sqlalchemy_url,
        table=args.table,
        backend="connectorx",
        chunk_size=args.batch,
        backend_kwargs={"conn": source_url, "return_type": "arrow_stream", "batch_size": args.batch},
        reflection_level="full_with_precision",
    )
    pipeline = dlt.pipeline(
        pipeline_name="peers",
        pipelines_dir=os.path.join(args.work, "pipelines"),
        destination=dlt.destinations.postgres(credentials=with_password(args.destination)),
        dataset_name="peers",
    )
    info = pipeline.run(table, write_disposition="replace", loader_file_format=args.format)
    if info.has_failed_jobs:
        print(info, file=sys.stderr)
        sys.exit(1)


def with_password(url: str) -> str:
    """dlt refuses PostgreSQL credentials without a password; the benchmark's server trusts local users and
    ignores it."""
    scheme, rest = url.split("://", 1)
    user_info, host = rest.split("@", 1)
    return url if ":" in user_info else f"{scheme}://{user_info}:unused@{host}"


if __name__ == "__main__":
    main()
