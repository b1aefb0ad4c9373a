// mkdocs-material's inline base script (MIT licence), moved to a file so the site works
// under a Content-Security-Policy without 'unsafe-inline'. This file lives at
// assets/js/theme/, so the site root is three levels up from its own address.
__md_scope=new URL("../../../",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
