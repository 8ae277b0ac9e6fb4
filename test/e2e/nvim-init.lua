-- Neovim 0.7 configuration for the end-to-end check (test/e2e/neovim.mjs): starts mlready's
-- bundled language server with the built-in LSP client on Python buffers, waits for its
-- diagnostics through the DiagnosticChanged event, writes them as JSON and quits.
-- Then it runs a scaffold command that must fail (its data file does not exist) and waits for the
-- server to say so with window/showMessage: an editor without mlready's VS Code client hears of
-- a failed command only that way.
-- Inputs (environment): MLREADY_SERVER (path to dist/server.js), MLREADY_NVIM_OUT (result
-- file), MLREADY_EXPECT (comma-separated rule names to wait for), MLREADY_NVIM_TIMEOUT_MS.
local server = assert(vim.env.MLREADY_SERVER, "MLREADY_SERVER not set")
local out = assert(vim.env.MLREADY_NVIM_OUT, "MLREADY_NVIM_OUT not set")
local expect = vim.split(vim.env.MLREADY_EXPECT or "", ",", { trimempty = true })
local timeout_ms = tonumber(vim.env.MLREADY_NVIM_TIMEOUT_MS or "30000")
local started = vim.loop.hrtime()

vim.lsp.set_log_level(vim.env.MLREADY_NVIM_LOG_LEVEL or "warn")

local done = false
-- window/showMessage notifications, as { type, message }, in order.
local messages = {}
local command_result = nil
vim.lsp.handlers["window/showMessage"] = function(_, result)
  table.insert(messages, { type = result.type, message = result.message })
end
local function finish(status, diagnostics)
  if done then
    return
  end
  done = true
  local items = {}
  for _, d in ipairs(diagnostics or {}) do
    table.insert(items, {
      source = d.source,
      code = d.code,
      message = d.message,
      severity = d.severity,
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
    })
  end
  local result = {
    status = status,
    elapsed_ms = math.floor((vim.loop.hrtime() - started) / 1e6),
    clients = vim.tbl_map(function(c)
      return c.name
    end, vim.lsp.get_active_clients()),
    diagnostics = items,
    messages = messages,
    command_result = command_result,
  }
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  vim.cmd("qa!")
end

local function has_all(diagnostics)
  local seen = {}
  for _, d in ipairs(diagnostics) do
    if d.source == "mlready" and d.code then
      seen[d.code] = true
    end
  end
  for _, rule in ipairs(expect) do
    if not seen[rule] then
      return false
    end
  end
  return #expect > 0
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = "python",
  callback = function(args)
    -- 0.7 has no vim.lsp.start: start the client, then attach it to this buffer.
    local id = vim.lsp.start_client({
      name = "mlready",
      cmd = { "node", server, "--stdio" },
      root_dir = vim.fn.getcwd(),
      on_exit = function(code, signal)
        if not done then
          vim.schedule(function()
            finish("server exited (code " .. tostring(code) .. ", signal " .. tostring(signal) .. ")", {})
          end)
        end
      end,
    })
    if not id then
      finish("start_client failed", {})
      return
    end
    vim.lsp.buf_attach_client(args.buf, id)
  end,
})

local commanded = false
vim.api.nvim_create_autocmd("DiagnosticChanged", {
  callback = function(args)
    local diagnostics = vim.diagnostic.get(args.buf)
    if commanded or not has_all(diagnostics) then
      return
    end
    commanded = true
    -- The command the user would run from `:lua vim.lsp.buf.execute_command(...)`, with a data
    -- file that does not exist: the server must answer and tell the user why.
    local client = vim.lsp.get_active_clients()[1]
    client.request("workspace/executeCommand", {
      command = "mlready.scaffold.api",
      arguments = { { data = "data/missing.csv", target = "churn" } },
    }, function(err, result)
      command_result = err and { error = err.message } or result
      -- The notification comes before the response; give it a moment if it did not.
      vim.defer_fn(function()
        finish("ok", diagnostics)
      end, #messages > 0 and 0 or 2000)
    end, args.buf)
  end,
})

-- A deadline, not a wait: report what arrived so far if the expected rules never do.
vim.defer_fn(function()
  finish("timeout after " .. timeout_ms .. " ms", vim.diagnostic.get())
end, timeout_ms)
