#include "hw_exporter/http/response.h"

namespace hw_exporter {

std::string_view StatusText(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

std::shared_ptr<const Response> MakeResponse(int status, const Headers& headers, std::string_view body) {
  auto response = std::make_shared<Response>();
  response->status = status;
  std::string& wire = response->wire;
  wire.reserve(256 + body.size());
  wire += "HTTP/1.1 ";
  wire += std::to_string(status);
  wire += ' ';
  wire += StatusText(status);
  wire += "\r\n";
  for (const auto& [name, value] : headers) {
    wire += name;
    wire += ": ";
    wire += value;
    wire += "\r\n";
  }
  wire += "Content-Length: ";
  wire += std::to_string(body.size());
  wire += "\r\n";
  response->head_size = wire.size();
  wire += Response::kKeepAlive;
  wire += body;
  return response;
}

std::shared_ptr<const Response> MakeTextResponse(int status, std::string message, const Headers& extra) {
  Headers headers{{"Content-Type", "text/plain; charset=utf-8"}, {"Cache-Control", "no-store"}};
  headers.insert(headers.end(), extra.begin(), extra.end());
  if (message.empty() || message.back() != '\n') message += '\n';
  return MakeResponse(status, headers, message);
}

}  // namespace hw_exporter
