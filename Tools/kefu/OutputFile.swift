import Foundation

/// A CSV being written: to a hidden temporary file beside the destination, renamed over it only by
/// ``commit()``; ``discard()`` (and Ctrl-C or SIGTERM, see ``CleanupOnSignal``) removes the temporary
/// file, so a failed export never leaves a partial file. `-` writes to standard output instead.
final class OutputFile: @unchecked Sendable {
    private let destination: String?
    private let temporary: String?
    private let handle: FileHandle
    private(set) var bytesWritten = 0

    init(path: String) throws {
        if path == "-" {
            destination = nil
            temporary = nil
            handle = FileHandle.standardOutput
            return
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandFailure("the folder \(folder) does not exist")
        }
        let temporaryPath = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(UUID().uuidString.prefix(8))").path
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil) else {
            throw CommandFailure("cannot create a file in \(folder) (permissions?)")
        }
        destination = url.path
        temporary = temporaryPath
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporaryPath))
        CleanupOnSignal.install(removing: temporaryPath)
    }

    /// Where the file ends up, for messages.
    var displayPath: String { destination ?? "standard output" }

    func write(_ bytes: [UInt8]) throws {
        try handle.write(contentsOf: bytes)
        bytesWritten += bytes.count
    }

    /// Flushes, closes and renames the temporary file to the destination.
    func commit() throws {
        guard let destination, let temporary else { return }
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CommandFailure("cannot rename the finished file to \(destination): \(reason)")
        }
        CleanupOnSignal.install(removing: nil)
    }

    /// Removes the temporary file.
    func discard() {
        guard let temporary else { return }
        try? handle.close()
        unlink(temporary)
        CleanupOnSignal.install(removing: nil)
    }
}

/// Removes the temporary file of the export in progress when the process is interrupted (SIGINT, SIGTERM),
/// then exits with 128 + the signal number.
enum CleanupOnSignal {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var path: [CChar]?
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func install(removing file: String?) {
        lock.lock()
        defer { lock.unlock() }
        path = file.map { Array($0.utf8CString) }
        guard sources.isEmpty else { return }
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                lock.lock()
                if let path { path.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) } }
                lock.unlock()
                FileHandle.standardError.write(Data("\nkefu: interrupted; no file written\n".utf8))
                exit(128 + number)
            }
            source.resume()
            sources.append(source)
        }
    }
}
