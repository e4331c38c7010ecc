-- Comment submission: POSTs the real "Leave a Reply" form, as a browser does after loading
-- the post page. bench/run.py loads that page first and passes what the form needs:
--
--   wrk -s bench/wrk/comment.lua http://127.0.0.1:PORT -- PATH CSRF_COOKIE CSRF_FIELD TOKEN RUN
--
-- PATH is the form's action, CSRF_COOKIE and CSRF_FIELD the csrftoken cookie and the form's
-- csrfmiddlewaretoken, TOKEN the form's signed timestamp (URL-encoded), RUN a label that keeps
-- texts unique across runs, since the site refuses a duplicate comment. Every request sends a
-- new text. Answers other than the redirect that follows a taken comment are counted by status
-- and printed at the end, so that bench/run.py can report them as failures.

local counter = 0
local statuses = {}
local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_id", #threads)
end

function init(args)
   path, cookie, csrf, token, run = args[1], args[2], args[3], args[4], args[5]
   headers = {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = "csrftoken=" .. cookie,
   }
end

function request()
   counter = counter + 1
   local body = "author_name=Benchmark+Reader&author_email=reader%40example.invalid"
      .. "&author_url=&parent=&homepage=&notify_replies="
      .. "&body=A+benchmark+comment%2C+number+" .. run .. "-" .. thread_id .. "-" .. counter
      .. "&csrfmiddlewaretoken=" .. csrf .. "&token=" .. token
   return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   local parts = {}
   for code, n in pairs(statuses) do
      table.insert(parts, code .. "=" .. n)
   end
   counts = table.concat(parts, ",")
end

function done(summary, latency, requests)
   local total = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("counts") or ""
      for code, n in string.gmatch(counts, "(%d+)=(%d+)") do
         total[code] = (total[code] or 0) + tonumber(n)
      end
   end
   local parts = {}
   for code, n in pairs(total) do
      table.insert(parts, code .. "=" .. n)
   end
   io.write("STATUSES " .. table.concat(parts, ",") .. "\n")
end
