-- A mix of pages for the memory measurement: walks a list of paths (one a line, in the file
-- named by the first argument), each thread from its own starting point.
--
--   wrk -s bench/wrk/mix.lua http://127.0.0.1:PORT -- var/bench/mix.txt

local paths = {}
local index = 0
local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("start", threads * 7)
end

function init(args)
   for line in io.lines(args[1]) do
      if line ~= "" then
         table.insert(paths, line)
      end
   end
   index = start % #paths
end

function request()
   index = index % #paths + 1
   return wrk.format("GET", paths[index])
end
