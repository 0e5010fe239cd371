import Foundation

/// A one-line progress display on stderr (only when stderr is a terminal): a bar when the row count is
/// known, else rows and bytes so far; redrawn at most ten times a second.
final class Progress: @unchecked Sendable {
    let enabled: Bool
    var total: Int?
    private var lastDraw = ContinuousClock.now - .seconds(1)

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func update(rows: Int, bytes: Int) {
        guard enabled, ContinuousClock.now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = .now
        draw(line(rows: rows, bytes: bytes))
    }

    func finish(rows: Int, bytes: Int, path: String) {
        clear()
        FileHandle.standardError.write(Data("kefu: wrote \(rows) rows (\(Self.size(bytes))) to \(path)\n".utf8))
    }

    func clear() {
        guard enabled else { return }
        draw("")
    }

    private func line(rows: Int, bytes: Int) -> String {
        guard let total, total > 0 else { return "exporting: \(rows) rows, \(Self.size(bytes))" }
        let fraction = min(1, Double(rows) / Double(total))
        let filled = Int(fraction * 30)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled)
        return "[\(bar)] \(Int(fraction * 100))% \(rows)/\(total) rows, \(Self.size(bytes))"
    }

    private func draw(_ text: String) {
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1_048_576 ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : String(format: "%.1f KB", Double(bytes) / 1024)
    }
}
