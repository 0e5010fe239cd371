import Foundation
import Hummingbird
import KefuModel
import NIOCore
import Redis

extension Gateway {
    /// Stores the raw body as an image of the session in `?session_id=`: ≤ 5 MiB, its header decoded
    /// (type and dimensions, ``ImageHeader``), written to a short-lived blob key that store's `image.put`
    /// takes over; the upload is recorded as the caller's, the only one who may attach it.
    func uploadImage(_ request: Request, actor: Actor) async throws -> Response {
        let bytes = try await RequestBody.bytes(request, limit: gateway.maxImageBytes)
        guard !bytes.isEmpty else { throw APIError.badRequest("invalid_body", "send the image bytes as the request body") }
        let header: ImageHeader
        do {
            header = try ImageHeader.decode(bytes)
        } catch .unknownType {
            throw APIError(.unsupportedMediaType, "unsupported_image", "only PNG, JPEG, GIF and WebP images are accepted")
        } catch .damaged(let type) {
            throw APIError.badRequest("invalid_image", "the \(type.rawValue) header is damaged or incomplete")
        } catch .tooLarge(let width, let height) {
            throw APIError.badRequest(
                "invalid_image", "the image is \(width)×\(height); each side must be at most \(ImageHeader.maxSide) and the area at most 40 megapixels")
        }
        let mime = header.mimeType
        var params: [String: JSONValue] = ["mime_type": .string(mime.rawValue)]
        if let session = request.query("session_id") {
            guard let id = SessionID(session) else { throw APIError.badRequest("invalid_params", "`session_id` must be a UUID") }
            params["session_id"] = .string(id.description)
        }
        let key = blobKey()
        do {
            _ = try await context.redis.send([Array("SET".utf8), Array(key.utf8), bytes, Array("EX".utf8), Array("300".utf8)])
        } catch {
            throw APIError.unavailable("the message bus (Redis) is unavailable; try again shortly")
        }
        params["blob_key"] = .string(key)
        var result = try await forwarder.query(.store, "image.put", actor: actor, params: params)
        guard let imageID = result["image_id"]?.stringValue.flatMap(ImageID.init) else {
            throw APIError(.badGateway, "upstream_error", "store answered without an image id")
        }
        try await uploads.record(imageID, by: actor)
        if var object = result.objectValue {
            object["mime_type"] = .string(mime.rawValue)
            object["width"] = .integer(Int64(header.width))
            object["height"] = .integer(Int64(header.height))
            result = .object(object)
        }
        return try jsonResponse(result, status: .created)
    }

    /// Sends an image back if store lets `actor` see it.
    func downloadImage(_ request: Request, context: GatewayRequestContext, actor: Actor) async throws -> Response {
        let id: ImageID = try request.uuidParameter("image_id", context)
        let result = try await forwarder.query(.store, "image.get", actor: actor, params: ["image_id": .string(id.description)])
        guard let key = result["blob_key"]?.stringValue, key.hasPrefix("\(self.context.streams.prefix):blob:") else {
            throw APIError(.badGateway, "upstream_error", "store answered without a usable blob key")
        }
        let replies = try await self.context.redis.pipeline([["GET", key], ["DEL", key]])
        guard let bytes = replies.first?.bytes else {
            throw APIError(.badGateway, "upstream_error", "the image expired before it could be sent; try again")
        }
        let mime = result["mime_type"]?.stringValue.flatMap(ImageRef.MIMEType.init(rawValue:)) ?? ImageHeader.sniff(bytes)
        return Response(
            status: .ok,
            headers: [
                .contentType: mime?.rawValue ?? "application/octet-stream", .cacheControl: "private, max-age=300",
                .contentDisposition: "inline",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Streams a reporting export to the response as it arrives: `export.start`, then the chunks of the
    /// export stream (each deleted once read) until `end`.
    func streamExport(_ request: Request, kind: String, actor: Actor) async throws -> Response {
        var params = try queryParams(request, strings: ["from", "to", "tz", "channel", "agent_id", "type"], bools: ["bom"])
        params["kind"] = .string(kind)
        let started = try await forwarder.query(.reporting, "export.start", actor: actor, params: params)
        guard let stream = started["export_stream"]?.stringValue, stream.hasPrefix("\(context.streams.prefix):export:") else {
            throw APIError(.badGateway, "upstream_error", "reporting answered without an export stream")
        }
        let filename = (started["filename"]?.stringValue ?? "export.csv").filter { $0.isLetter || $0.isNumber || "._-".contains($0) }
        let reader = context.redis.makeDedicatedConnection(readTimeout: .seconds(40))
        let first = try await readExport(reader, stream: stream, after: "0-0")
        if case .failed(let message) = first.state {
            await reader.close()
            throw APIError(.badGateway, "export_failed", message)
        }
        let redis = context.redis
        let logger = context.logger
        let body = ResponseBody { writer in
            var batch = first
            defer { Task { await reader.close() } }
            while true {
                for chunk in batch.chunks { try await writer.write(ByteBuffer(bytes: chunk)) }
                if !batch.ids.isEmpty { _ = try? await redis.send(["XDEL", stream] + batch.ids) }
                switch batch.state {
                case .done:
                    try await writer.finish(nil)
                    return
                case .failed(let message):
                    logger.warning("export failed while streaming", metadata: ["error": "\(message)"])
                    throw APIError(.badGateway, "export_failed", message)
                case .more:
                    batch = try await readExport(reader, stream: stream, after: batch.last)
                }
            }
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"\(filename.isEmpty ? "export.csv" : filename)\"",
            ],
            body: body)
    }

    private enum ExportState { case more, done, failed(String) }

    private struct ExportBatch {
        var chunks: [[UInt8]]
        var ids: [String]
        var last: String
        var state: ExportState
    }

    private func readExport(_ reader: RedisDedicatedConnection, stream: String, after: String) async throws -> ExportBatch {
        let command = ["XREAD", "COUNT", "16", "BLOCK", "30000", "STREAMS", stream, after]
        let reply = try await reader.run { connection in try connection.command(command).throwingOnError() }
        guard let streams = reply.array, let entries = streams.first?.array?.last?.array, !entries.isEmpty else {
            return ExportBatch(chunks: [], ids: [], last: after, state: .failed("the export stopped sending data"))
        }
        var batch = ExportBatch(chunks: [], ids: [], last: after, state: .more)
        for entry in entries {
            guard let pair = entry.array, pair.count == 2, let id = pair[0].string, let fields = pair[1].array else { continue }
            batch.ids.append(id)
            batch.last = id
            var index = 0
            while index + 1 < fields.count {
                let name = fields[index].string
                if name == "chunk", let bytes = fields[index + 1].bytes { batch.chunks.append(bytes) }
                if name == "end", let value = fields[index + 1].string {
                    batch.state = value == "ok" ? .done : .failed(String(value.dropFirst("error:".count)))
                }
                index += 2
            }
            if case .more = batch.state {} else { break }
        }
        return batch
    }
}
