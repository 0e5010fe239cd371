import Foundation
import GatewayService
import Testing

/// The operator docs name what the code does: every error code the gateway answers, every metric, the
/// rate limits and the variables that lift them, every settings range, real channel names, and what
/// `scripts/start` says it created.
@Suite struct DocsCoverageTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The text of the section under `heading` (up to the next heading of the same or a higher level).
    static func section(_ heading: String, in text: String) throws -> Substring {
        let start = try #require(text.range(of: "\n" + heading + "\n"), "no section \(heading)")
        let level = heading.prefix { $0 == "#" }.count
        var rest = text[start.upperBound...]
        var end = rest.endIndex
        var search = rest.startIndex
        while let next = rest[search...].range(of: "\n#") {
            let hashes = rest[rest.index(after: next.lowerBound)...].prefix { $0 == "#" }.count
            if hashes <= level { end = next.lowerBound; break }
            search = next.upperBound
        }
        rest = rest[..<end]
        return rest
    }

    /// Every match of `pattern`'s first capture group in the Swift files under `folder`.
    static func captures(_ pattern: String, under folder: String) throws -> Set<String> {
        let regex = try NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        var found = Set<String>()
        let base = root.appendingPathComponent(folder)
        let files = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: base.appendingPathComponent(file), encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            for match in regex.matches(in: text, range: range) {
                if let group = Range(match.range(at: 1), in: text) { found.insert(String(text[group])) }
            }
        }
        return found
    }

    @Test func everyErrorCodeTheGatewayAnswersIsInItsTable() throws {
        let codes = try Self.captures(
            #"(?:APIError\(\s*\.?[a-zA-Z]+\s*,\s*|\.(?:badRequest|notFound|conflict)\(\s*)"([a-z][a-z0-9_]*)""#,
            under: "Services/Gateway/GatewayService")
        #expect(codes.contains("invalid_field") && codes.count > 20, "the scan found \(codes.sorted())")
        let table = try Self.section("### Error codes", in: Self.read("Services/Gateway/README.md"))
        let missing = codes.filter { !table.contains("`\($0)`") }.sorted()
        #expect(missing.isEmpty, "error codes missing from the gateway README's table: \(missing)")
    }

    @Test func everyMetricIsDocumented() throws {
        let names = try Self.captures(#"label:\s*"(kefu_[a-z_]+)""#, under: "Shared")
            .union(try Self.captures(#"label:\s*"(kefu_[a-z_]+)""#, under: "Services"))
        #expect(names.contains("kefu_stream_group_lag"), "the scan found \(names.sorted())")
        let metrics = try Self.section("## Metrics", in: Self.read("README.md"))
        let missing = names.filter { !metrics.contains("`\($0)`") }.sorted()
        #expect(missing.isEmpty, "metrics missing from README.md: \(missing)")
        for hummingbird in ["hb_requests", "hb_request_errors", "http_server_request_duration", "http_server_active_requests"] {
            #expect(metrics.contains(hummingbird))
        }
    }

    @Test func rateLimitsAndTheVariablesThatLiftThemAreDocumented() throws {
        let variables = try Self.captures(#""(KEFU_RATE_[A-Z_]+)""#, under: "Services/Gateway/GatewayService/Config")
        #expect(variables.count == 8, "the scan found \(variables.sorted())")
        let limits = try Self.section("### Rate limits", in: Self.read("Services/Gateway/README.md"))
        for variable in variables { #expect(limits.contains(variable), "\(variable) is not in the rate-limit section") }
        #expect(limits.contains("429") && limits.contains("`rate_limited`") && limits.contains("Retry-After"))
        #expect(limits.contains("load test"), "say what a load test from one machine runs into")
        #expect(limits.contains("600 per minute, burst 120"), "the per-IP default")
    }

    @Test func everySettingsRangeIsInTheRoutingReadme() throws {
        let validation = try Self.read("Services/Routing/RoutingService/Domain/RoutingSettingsValidation.swift")
        let regex = try NSRegularExpression(pattern: #"check\.range\([^,]+,\s*([0-9_]+)\.\.\.([0-9_]+),\s*"([a-z_.]+)""#)
        let readme = try Self.read("Services/Routing/README.md")
        var checked = 0
        for match in regex.matches(in: validation, range: NSRange(validation.startIndex..., in: validation)) {
            let group = { (index: Int) in String(validation[Range(match.range(at: index), in: validation)!]) }
            let (low, high, path) = (Self.grouped(group(1)), Self.grouped(group(2)), group(3))
            let row = try #require(readme.split(separator: "\n").first { $0.hasPrefix("| `\(path)`") }, "no settings row for \(path)")
            #expect(row.contains("\(low)–\(high)"), "\(path): the row should give the range \(low)–\(high): \(row)")
            checked += 1
        }
        #expect(checked >= 4, "ranges found: \(checked)")
    }

    /// `86_400` as the docs write it: `86,400`.
    static func grouped(_ literal: String) -> String {
        let digits = Array(literal.replacingOccurrences(of: "_", with: ""))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0, digits.count > 3 { result += "," }
            result.append(digit)
        }
        return result
    }

    @Test func exportsNameTheRealChannels() throws {
        let exports = try Self.read("docs/exports.md")
        for channel in GatewayConfiguration.builtInChannels.sorted() {
            #expect(exports.contains("`\(channel)`"), "docs/exports.md should name the channel \(channel)")
        }
        #expect(!exports.contains("`web`"), "there is no channel called web")
    }

    @Test func startSaysWhichAgentsExist() throws {
        func agentsLine(noDemo: Bool) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", "source scripts/lib.sh && demo_agents_line"]
            process.currentDirectoryURL = Self.root
            var environment = ProcessInfo.processInfo.environment
            environment["KEFU_NO_DEMO"] = noDemo ? "1" : "0"
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
        #expect(try agentsLine(noDemo: false).contains("agent1"))
        let bare = try agentsLine(noDemo: true)
        #expect(!bare.contains("agent1") && !bare.contains("agent2"), "KEFU_NO_DEMO=1 creates no demo agents: \(bare)")
        #expect(try Self.read("scripts/start").contains("$(demo_agents_line)"))
    }
}
