import Foundation
import Hummingbird
import KefuModel
import NIOCore

/// The file policy in force: routing's settings `files` (size limit and allowed types).
struct FilePolicy: Sendable {
    var maxBytes: Int
    var allowed: [FileType]

    init(_ value: JSONValue) throws {
        guard let max = value["max_bytes"]?.intValue, case .array(let types)? = value["allowed_types"] else {
            throw APIError(.badGateway, "upstream_error", "routing answered files.policy without max_bytes and allowed_types")
        }
        maxBytes = max
        allowed = types.compactMap { $0.stringValue.flatMap(FileType.init(key:)) }
    }
}

extension Gateway {
    /// Stores the raw body as a file of the session in `?session_id=`, named `?name=`.
    ///
    /// Refused before anything is written (nothing half-applied): a body over the settings' `files.max_bytes`
    /// (413 `file_too_large`), bytes that are none of the known types whatever the name (415
    /// `unsupported_file`), a type not on the settings' allow-list (415 `file_type_not_allowed`). Otherwise
    /// the bytes go to a short-lived blob key that store's `file.put` takes over, and the upload is recorded
    /// as the caller's, the only one who may attach it. Answers `201 { file_id, name, size, mime_type }`.
    func uploadFile(_ request: Request, actor: Actor) async throws -> Response {
        guard let session = request.query("session_id") else {
            throw APIError.badRequest("invalid_params", "`session_id` is required")
        }
        guard let sessionID = SessionID(session) else { throw APIError.badRequest("invalid_params", "`session_id` must be a UUID") }
        let name = request.query("name") ?? ""
        do throws(ContractError) {
            try FileRef.validateName(name, field: "name")
        } catch {
            throw APIError.badRequest("invalid_params", error.description)
        }
        let policy = try FilePolicy(try await forwarder.query(.routing, "files.policy", actor: actor))
        let bytes: [UInt8]
        do {
            bytes = try await RequestBody.bytes(request, limit: policy.maxBytes)
        } catch let error as APIError where error.code == "payload_too_large" {
            throw Self.fileTooLarge(policy)
        }
        guard !bytes.isEmpty else { throw APIError.badRequest("invalid_body", "send the file bytes as the request body") }
        guard let type = FileType.detect(bytes) else {
            throw APIError(
                .unsupportedMediaType, "unsupported_file",
                "the content is not a PDF, Office document, UTF-8 text or archive (the type is read from the bytes, not the name)")
        }
        guard policy.allowed.contains(type) else {
            let allowed = policy.allowed.map(\.key).joined(separator: ", ")
            throw APIError(
                .unsupportedMediaType, "file_type_not_allowed",
                "\(type.key) files are not allowed; allowed: \(allowed.isEmpty ? "none" : allowed)")
        }
        let key = blobKey()
        do {
            _ = try await context.redis.send([Array("SET".utf8), Array(key.utf8), bytes, Array("EX".utf8), Array("300".utf8)])
        } catch {
            throw APIError.unavailable("the message bus (Redis) is unavailable; try again shortly")
        }
        let params: [String: JSONValue] = [
            "session_id": .string(sessionID.description), "blob_key": .string(key), "name": .string(name),
        ]
        let result: JSONValue
        do {
            result = try await forwarder.query(.store, "file.put", actor: actor, params: params)
        } catch {
            _ = try? await context.redis.send(["DEL", key])
            throw error
        }
        guard let fileID = result["file_id"]?.stringValue.flatMap(FileID.init),
              let stored = result["mime_type"]?.stringValue.flatMap(FileType.init(rawValue:)),
              let size = result["size"]?.intValue
        else {
            throw APIError(.badGateway, "upstream_error", "store answered without a file id, type or size")
        }
        let file = FileRef(fileID: fileID, name: name, size: size, mimeType: stored)
        try await fileUploads.record(file, by: actor)
        return try jsonResponse(try JSONValue(encoding: file), status: .created)
    }

    /// Sends a file back as an attachment if store lets `actor` see it (the session's visitor, agents who
    /// served that visitor, admins; 404 `unknown_file` for another visitor, 403 for another agent).
    func downloadFile(_ request: Request, context: GatewayRequestContext, actor: Actor) async throws -> Response {
        let id: FileID = try request.uuidParameter("file_id", context)
        let result = try await forwarder.query(.store, "file.get", actor: actor, params: ["file_id": .string(id.description)])
        guard let key = result["blob_key"]?.stringValue, key.hasPrefix("\(self.context.streams.prefix):blob:") else {
            throw APIError(.badGateway, "upstream_error", "store answered without a usable blob key")
        }
        let replies = try await self.context.redis.pipeline([["GET", key], ["DEL", key]])
        guard let bytes = replies.first?.bytes else {
            throw APIError(.badGateway, "upstream_error", "the file expired before it could be sent; try again")
        }
        let type = result["mime_type"]?.stringValue.flatMap(FileType.init(rawValue:)) ?? FileType.detect(bytes)
        let name = result["name"]?.stringValue ?? "file"
        return Response(
            status: .ok,
            headers: [
                .contentType: type?.rawValue ?? "application/octet-stream", .cacheControl: "private, no-store",
                .contentDisposition: Self.attachmentDisposition(name, type: type),
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The message content of a send body: exactly one of `text`, `image_id` and `file_id`; a file must be one
    /// `actor` uploaded (404 `unknown_file`), and its reference is the one recorded at upload.
    func messageContent(text: String?, imageID: ImageID?, fileID: FileID?, actor: Actor) async throws -> MessageContent {
        switch (text, imageID, fileID) {
        case (let text?, nil, nil): return .text(text)
        case (nil, let image?, nil): return .image(ImageRef(.stored(image)))
        case (nil, nil, let file?): return .file(try await fileUploads.owned(file, by: actor))
        default: throw APIError.badRequest("invalid_field", "send exactly one of `text`, `image_id` and `file_id`")
        }
    }

    static func fileTooLarge(_ policy: FilePolicy) -> APIError {
        APIError(.contentTooLarge, "file_too_large", "the file is larger than the limit of \(policy.maxBytes) bytes")
    }

    /// `attachment` with an ASCII `filename` (anything outside letters, digits, space and `._-()` replaced
    /// by `_`, the type's extension added when missing) and the exact name as RFC 5987 `filename*`.
    static func attachmentDisposition(_ name: String, type: FileType?) -> String {
        var ascii = String(
            name.unicodeScalars.map { scalar -> Character in
                let allowed = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || " ._-()".unicodeScalars.contains(scalar))
                return allowed ? Character(scalar) : "_"
            })
        ascii = String(ascii.trimmingCharacters(in: CharacterSet(charactersIn: " .")).prefix(200))
        if ascii.isEmpty || ascii.allSatisfy({ $0 == "_" }) { ascii = "file" }
        if let type, !ascii.lowercased().hasSuffix("." + type.fileExtension) { ascii += "." + type.fileExtension }
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
