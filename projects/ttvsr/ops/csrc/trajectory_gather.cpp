// Trajectory gather for TTVSR (the token reads of LTAM.forward in the official ttvsrnet.py):
// CPU forward (gather) and backward (scatter-add) kernels. Semantics are those of
// trajectory_gather_pytorch in ../trajectory_gather.py: read r = (b, k, i, j) takes the token row
// tokens[b, f, round(y), round(x)] with f = frames[b, k, i, j] and (x, y) =
// locations[b, k, :, i, j], or zeros when the cell is outside the Hs x Ws grid.
// Layout: tokens (n, T, Hs, Ws, C) and the output (n, K, H, W, C) are channels last, so one
// read is one contiguous row copy.
#include <torch/extension.h>

#include <ATen/Parallel.h>

#include <cmath>
#include <cstring>
#include <vector>

namespace {

// Flat source row of every read in tokens viewed as (n * T * Hs * Ws, C); -1 outside the grid.
// std::nearbyint rounds half to even under the default rounding mode, like torch.round.
std::vector<int64_t> source_rows(const at::Tensor& locations, const at::Tensor& frames,
                                 int64_t num_frames, int64_t grid_h, int64_t grid_w) {
  const auto loc = locations.to(at::kDouble).contiguous();
  const auto frm = frames.contiguous();
  const int64_t n = loc.size(0), reads = loc.size(1), h = loc.size(3), w = loc.size(4);
  const int64_t plane = h * w;
  const double* loc_ptr = loc.data_ptr<double>();
  const int64_t* frm_ptr = frm.data_ptr<int64_t>();
  std::vector<int64_t> rows(n * reads * plane);
  at::parallel_for(0, n * reads, 1, [&](int64_t begin, int64_t end) {
    for (int64_t bk = begin; bk < end; ++bk) {
      const int64_t b = bk / reads;
      const double* xs = loc_ptr + bk * 2 * plane;
      const double* ys = xs + plane;
      for (int64_t p = 0; p < plane; ++p) {
        const double x = std::nearbyint(xs[p]);
        const double y = std::nearbyint(ys[p]);
        const int64_t f = frm_ptr[bk * plane + p];
        const bool inside = x >= 0 && x <= grid_w - 1 && y >= 0 && y <= grid_h - 1;
        rows[bk * plane + p] =
            inside ? ((b * num_frames + f) * grid_h + static_cast<int64_t>(y)) * grid_w +
                         static_cast<int64_t>(x)
                   : -1;
      }
    }
  });
  return rows;
}

void check_reads(const at::Tensor& locations, const at::Tensor& frames) {
  TORCH_CHECK(locations.device().is_cpu() && frames.device().is_cpu(),
              "trajectory_gather (C++): CPU tensors only");
  TORCH_CHECK(locations.dim() == 5 && locations.size(2) == 2,
              "trajectory_gather (C++): locations must be (n, K, 2, H, W)");
  TORCH_CHECK(frames.scalar_type() == at::kLong && frames.dim() == 4 &&
                  frames.size(0) == locations.size(0) && frames.size(1) == locations.size(1) &&
                  frames.size(2) == locations.size(3) && frames.size(3) == locations.size(4),
              "trajectory_gather (C++): frames must be int64 (n, K, H, W)");
}

}  // namespace

at::Tensor trajectory_gather_forward(const at::Tensor& tokens, const at::Tensor& locations,
                                     const at::Tensor& frames) {
  check_reads(locations, frames);
  TORCH_CHECK(tokens.device().is_cpu() && tokens.dim() == 5,
              "trajectory_gather (C++): tokens must be a CPU tensor (n, T, Hs, Ws, C)");
  const auto src = tokens.contiguous();
  const int64_t channels = src.size(4);
  const auto rows = source_rows(locations, frames, src.size(1), src.size(2), src.size(3));
  auto out = at::empty({locations.size(0), locations.size(1), locations.size(3),
                        locations.size(4), channels},
                       src.options());
  AT_DISPATCH_FLOATING_TYPES(src.scalar_type(), "trajectory_gather_forward", [&] {
    const scalar_t* src_ptr = src.data_ptr<scalar_t>();
    scalar_t* out_ptr = out.data_ptr<scalar_t>();
    const int64_t num_reads = static_cast<int64_t>(rows.size());
    at::parallel_for(0, num_reads, 64, [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        scalar_t* dst = out_ptr + r * channels;
        if (rows[r] < 0) {
          std::memset(dst, 0, channels * sizeof(scalar_t));
        } else {
          std::memcpy(dst, src_ptr + rows[r] * channels, channels * sizeof(scalar_t));
        }
      }
    });
  });
  return out;
}

at::Tensor trajectory_gather_backward(const at::Tensor& grad_out, const at::Tensor& locations,
                                      const at::Tensor& frames, int64_t num_frames,
                                      int64_t grid_h, int64_t grid_w) {
  check_reads(locations, frames);
  const auto grad = grad_out.contiguous();
  const int64_t channels = grad.size(4);
  const auto rows = source_rows(locations, frames, num_frames, grid_h, grid_w);
  auto grad_tokens =
      at::zeros({locations.size(0), num_frames, grid_h, grid_w, channels}, grad.options());
  AT_DISPATCH_FLOATING_TYPES(grad.scalar_type(), "trajectory_gather_backward", [&] {
    const scalar_t* grad_ptr = grad.data_ptr<scalar_t>();
    scalar_t* dst_ptr = grad_tokens.data_ptr<scalar_t>();
    const int64_t num_reads = static_cast<int64_t>(rows.size());
    // Several reads may hit one cell: threads split the channels, not the reads, so that no
    // two threads ever add into the same element and no atomics are needed.
    at::parallel_for(0, channels, 16, [&](int64_t c_begin, int64_t c_end) {
      for (int64_t r = 0; r < num_reads; ++r) {
        if (rows[r] < 0) continue;
        const scalar_t* g = grad_ptr + r * channels;
        scalar_t* d = dst_ptr + rows[r] * channels;
        for (int64_t c = c_begin; c < c_end; ++c) d[c] += g[c];
      }
    });
  });
  return grad_tokens;
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.def("forward", &trajectory_gather_forward, "trajectory gather forward (CPU)",
        py::arg("tokens"), py::arg("locations"), py::arg("frames"));
  m.def("backward", &trajectory_gather_backward, "trajectory gather backward (CPU)",
        py::arg("grad_out"), py::arg("locations"), py::arg("frames"), py::arg("num_frames"),
        py::arg("grid_h"), py::arg("grid_w"));
}
