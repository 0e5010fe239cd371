import Foundation
import KefuModel
import TestSupport

/// A real HTTP receiver for webhook tests: a Python `http.server` on a loopback port that logs every request
/// (headers, body, the status it answered) as a JSON line. Its behaviour: `ok` (200), `fail:N` (500 for the
/// first N requests of each `webhook-id`, then 200), `hang` (answers after 30 s), `status:N` (always N),
/// `first:S:N` (S for the first N requests whatever their id, then 200).
final class WebhookReceiver: @unchecked Sendable {
    struct Hit: Sendable {
        let time: Date
        let headers: [String: String]
        let body: String
        let status: Int
        var webhookID: String { headers["webhook-id"] ?? "" }
        var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(body.utf8)) }
    }

    static let script = #"""
    import json, sys, time, threading
    from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
    port, log_path, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    counts, lock = {}, threading.Lock()
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *args):
            pass
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8")
            wid = self.headers.get("webhook-id", "")
            with lock:
                counts[wid] = counts.get(wid, 0) + 1
                n = counts[wid]
            status = 200
            if mode == "hang":
                time.sleep(30)
            elif mode.startswith("fail:") and n <= int(mode[5:]):
                status = 500
            elif mode.startswith("status:"):
                status = int(mode[7:])
            elif mode.startswith("first:"):
                code, first = mode[6:].split(":")
                with lock:
                    counts["*"] = counts.get("*", 0) + 1
                    if counts["*"] <= int(first):
                        status = int(code)
            with lock, open(log_path, "a") as f:
                f.write(json.dumps({"t": time.time(), "status": status, "body": body,
                                    "headers": {k.lower(): v for k, v in self.headers.items()}}) + "\n")
            reply = b'{"ok":true}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print("ready", flush=True)
    server.serve_forever()
    """#

    let port: Int
    let mode: String
    let logURL: URL
    private var process: TestProcess?

    init(mode: String = "ok", port: Int = HTTPProbe.freePort()) async throws {
        self.port = port
        self.mode = mode
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-receiver-\(UUID().uuidString.prefix(8)).jsonl")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        try await start()
    }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Starts (again) on the same port and log.
    func start() async throws {
        let scriptURL = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-receiver.py")
        try Self.script.write(to: scriptURL, atomically: true, encoding: .utf8)
        let process = try TestProcess(
            executable: URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3", scriptURL.path, "\(port)", logURL.path, mode])
        self.process = process
        let deadline = ContinuousClock.now + .seconds(10)
        while !process.output().contains("ready") {
            guard ContinuousClock.now < deadline else { throw HarnessError.unexpected("receiver did not start: \(process.output())") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Kills the receiver (connections to its port are refused until ``start()``).
    func stop() {
        process?.terminate()
        process = nil
    }

    /// Every request so far, in arrival order.
    func hits() -> [Hit] {
        let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8)),
                  let time = value["t"].flatMap({ v -> Double? in
                      if case .number(let d) = v { return d }
                      if case .integer(let i) = v { return Double(i) }
                      return nil
                  }),
                  let status = value["status"]?.intValue, let body = value["body"]?.stringValue,
                  let headers = value["headers"]?.objectValue
            else { return nil }
            return Hit(
                time: Date(timeIntervalSince1970: time), headers: headers.compactMapValues(\.stringValue), body: body, status: status)
        }
    }

    /// The requests answered with 2xx.
    func delivered() -> [Hit] { hits().filter { (200..<300).contains($0.status) } }

    deinit {
        process?.terminate()
        try? FileManager.default.removeItem(at: logURL)
    }
}

extension JSONValue {
    /// The elements when this is an array.
    var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The element at `index` of an array; nil otherwise.
    subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}
