// An MSCCL algorithm file (the XML the MSCCL runtime reads and MSCCLang emits) as typed values,
// read and checked whole: every problem is a ConfigError naming file:line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kernbench::ccl {

/// A step's operation: send, receive, receive-reduce-send, receive-reduce-copy, receive-copy-send,
/// receive-reduce-copy-send, local reduce, local copy, no operation (a dependency only).
enum class MscclStepType { s, r, rrs, rrc, rcs, rrcs, re, cpy, nop };

/// A buffer of a gpu: its input, output or scratch chunks.
enum class MscclBuffer { input, output, scratch };

struct MscclStep {
  int index = 0;  // `s`: its position in the thread block
  MscclStepType type = MscclStepType::nop;
  MscclBuffer src_buffer = MscclBuffer::input, dst_buffer = MscclBuffer::input;
  int src_offset = 0, dst_offset = 0;  // in chunks
  int count = 1;                       // chunks
  int dep_block = -1, dep_step = -1;   // waits for step dep_step of thread block dep_block
  bool has_dependent = false;          // `hasdep`
  int line = 0;
};

struct MscclThreadBlock {
  int id = 0;
  int send = -1, recv = -1;  // peer gpus, -1: none
  int channel = 0;
  int line = 0;
  std::vector<MscclStep> steps;
};

struct MscclGpu {
  int id = 0;
  int input_chunks = 0, output_chunks = 0, scratch_chunks = 0;
  int line = 0;
  std::vector<MscclThreadBlock> blocks;  // in file order
};

struct MscclProgram {
  std::string source;  // the file name, prefixing every position
  std::string name;
  std::string collective;  // "allreduce", "allgather" or "reducescatter"
  int gpus = 0;
  int chunks_per_loop = 0;
  bool in_place = true;
  std::string protocol = "Simple";
  int channels = 1;
  std::string reduce_op = "sum";
  std::uint64_t min_bytes = 0, max_bytes = 0;  // 0: no upper bound
  std::vector<MscclGpu> gpus_by_id;            // gpus_by_id[g].id == g

  /// "file:line".
  std::string at(int line) const { return source + ":" + std::to_string(line); }
  /// The chunks `buffer` of `gpu` holds (an in-place all-reduce's output aliases its input).
  int chunks(const MscclGpu& gpu, MscclBuffer buffer) const;
};

/// Reads and checks an MSCCL file: ConfigError "file:line: ..." for malformed XML, a missing,
/// unknown or ill-typed attribute, and inconsistencies (gpu and thread block ids, peers, channels,
/// chunks out of a buffer's range, dependencies on steps that are not there or not marked).
MscclProgram read_msccl_file(const std::string& path);
/// The same from text; `source` names it in errors.
MscclProgram parse_msccl_text(std::string_view text, std::string_view source);

/// "s", "r", ... as in the file.
std::string_view name(MscclStepType type);
/// True for the steps that send / receive.
bool sends(MscclStepType type);
bool receives(MscclStepType type);

}  // namespace kernbench::ccl
