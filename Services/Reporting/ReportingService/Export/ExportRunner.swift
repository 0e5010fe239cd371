import Postgres

/// Runs an export plan against PostgreSQL and hands the formatted CSV to a sink chunk by chunk, so memory
/// stays flat at any size: the COPY output is read in chunks of about 128 KiB, each formatted
/// (``CSVFormatter``) and passed on before the next is read.
public enum ExportRunner {
    /// What an export produced.
    public struct Outcome: Sendable, Equatable {
        /// Data rows (the header not counted).
        public var rows: Int
        /// Bytes handed to the sink (BOM and CRLFs included).
        public var bytes: Int
    }

    /// Bytes read from COPY per chunk.
    public static let copyChunkBytes = 128 * 1024

    /// Runs `plan`'s preparing statements, then streams its COPY through a formatter into `sink`.
    public static func run(
        _ plan: ExportSQL.Plan, bom: Bool, postgres: PostgresClient,
        sink: (_ bytes: [UInt8], _ rows: Int) async throws -> Void
    ) async throws -> Outcome {
        for statement in plan.prepare {
            try await postgres.execute(statement)
        }
        var formatter = CSVFormatter(bom: bom)
        var bytes = 0
        for try await chunk in postgres.copyOut(plan.copy, chunkSize: copyChunkBytes) {
            let formatted = formatter.format(chunk)
            bytes += formatted.count
            try await sink(formatted, max(0, formatter.records - 1))
        }
        return Outcome(rows: max(0, formatter.records - 1), bytes: bytes)
    }
}
